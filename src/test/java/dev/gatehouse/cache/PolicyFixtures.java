package dev.gatehouse.cache;

/** Times and builders shared by the cache policy tables; every test runs at a fixed, injected time. */
final class PolicyFixtures {
    /** The moment the stored response was received: Mon, 23 Nov 2026 10:00:00 GMT. */
    static final long T0 = HttpDate.parse("Mon, 23 Nov 2026 10:00:00 GMT").orElseThrow();
    static final String URI = "http://example.com/a";

    private PolicyFixtures() {
    }

    /** T0 plus {@code seconds}, in milliseconds. */
    static long at(long seconds) {
        return T0 + seconds * 1000;
    }

    /** T0 plus {@code seconds} as an HTTP date. */
    static String date(long seconds) {
        return HttpDate.format(at(seconds));
    }

    /** Header fields from alternating names and values. */
    static CacheHeaders h(String... namesAndValues) {
        return CacheHeaders.of(namesAndValues);
    }

    /** A GET for {@link #URI} with these headers. */
    static CacheRequest get(CacheHeaders headers) {
        return CacheRequest.of("GET", URI, headers);
    }

    /** A stored 200 received at T0 (requested at T0), carrying Date: T0 plus {@code headers}, stored for a request without headers. */
    static CacheEntry stored(CacheHeaders headers) {
        return stored(200, headers, CacheHeaders.empty());
    }

    /** A stored response received at T0 for a request with {@code requestHeaders}; Date: T0 unless given. */
    static CacheEntry stored(int status, CacheHeaders headers, CacheHeaders requestHeaders) {
        CacheHeaders withDate = headers.has("Date") ? headers : headers.toBuilder().add("Date", date(0)).build();
        String secondaryKey = SecondaryKey.of(withDate, requestHeaders).orElse("never");
        return new CacheEntry(status, withDate, T0, T0, secondaryKey);
    }
}
