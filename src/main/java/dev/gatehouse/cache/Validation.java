package dev.gatehouse.cache;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Validation of stored responses (RFC 9111 §4.3): conditional requests to the origin, merging a
 * 304 into the stored entry, and answering a client's own conditionals from the cache.
 */
final class Validation {
    /** Header fields a 304 generated from cache carries (RFC 9110 §15.4.5). */
    private static final List<String> NOT_MODIFIED_FIELDS =
            List.of("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary");

    private Validation() {
    }

    /**
     * The headers to send upstream to validate {@code stored} (§4.3.1): the client's fields with its
     * own validators replaced by the stored ETag (If-None-Match) and Last-Modified (If-Modified-Since).
     */
    static CacheHeaders conditionalRequest(CacheHeaders client, CacheEntry stored) {
        CacheHeaders.Builder request = client.without("If-None-Match", "If-Modified-Since").toBuilder();
        String etag = stored.headers().first("ETag");
        if (etag != null) {
            request.add("If-None-Match", etag);
        }
        String lastModified = stored.headers().first("Last-Modified");
        if (HttpDate.parse(lastModified).isPresent()) {
            request.add("If-Modified-Since", lastModified);
        }
        return request.build();
    }

    /** Whether {@code stored} has a validator a conditional request can use (§4.3.1). */
    static boolean hasValidator(CacheEntry stored) {
        return stored.headers().has("ETag") || HttpDate.parse(stored.headers().first("Last-Modified")).isPresent();
    }

    /**
     * The stored entry updated by a 304 (§4.3.4, fields per §3.2), or empty when the 304's ETag names
     * a different representation, so the stored one must not be updated (§4.3.4): a strong one that is
     * not the stored ETag, or a weak one that does not match it by weak comparison.
     */
    static Optional<CacheEntry> mergeNotModified(CacheEntry stored, CacheHeaders notModified,
                                                 long requestTimeMillis, long responseTimeMillis) {
        String newTag = notModified.first("ETag");
        String storedTag = stored.headers().first("ETag");
        boolean sameRepresentation = newTag == null || storedTag == null
                || (newTag.startsWith("W/") ? weakMatch(newTag, storedTag) : newTag.equals(storedTag));
        if (!sameRepresentation) {
            return Optional.empty();
        }
        // §3.2: every field of the 304 replaces the stored one, except those never stored (§3.1)
        // and Content-Length, which describes the stored body, not the 304.
        CacheHeaders incoming = StoredFields.strip(notModified).without("Content-Length");
        Set<String> replaced = new HashSet<>();
        incoming.names().forEach(name -> replaced.add(name.toLowerCase(Locale.ROOT)));
        // Age and Date describe the old response; kept with the 304's times they would make the
        // refreshed entry look older than it is (§4.2.3), so they go even when the 304 lacks them.
        replaced.add("age");
        replaced.add("date");
        CacheHeaders merged = stored.headers().without(replaced).toBuilder().addAll(incoming).build();
        return Optional.of(stored.updated(merged, requestTimeMillis, responseTimeMillis));
    }

    /**
     * Whether a 200 to a HEAD describes the representation {@code stored} (a 200 to GET, whose body is
     * {@code storedBodyLength} bytes) holds, so it may refresh it as a 304 would (RFC 9111 §4.3.5): every validator it
     * carries matches the stored one (an ETag strongly, so the stored bytes are the ones it names; Last-Modified as a
     * date) and, when it has a Content-Length, that is the stored body's length. It must carry a validator at all:
     * a length alone cannot tell two versions of the same size apart.
     */
    static boolean headDescribesStored(CacheEntry stored, long storedBodyLength, CacheHeaders head) {
        String tag = head.first("ETag");
        String lastModified = head.first("Last-Modified");
        if (stored.status() != 200 || (tag == null && lastModified == null)) {
            return false;
        }
        if (tag != null && (tag.startsWith("W/") || !tag.equals(stored.headers().first("ETag")))) {
            return false;
        }
        OptionalLong modified = HttpDate.parse(lastModified);
        if (lastModified != null && (modified.isEmpty() || !modified.equals(HttpDate.parse(stored.headers().first("Last-Modified"))))) {
            return false;
        }
        String length = head.first("Content-Length");
        return length == null || length.strip().equals(Long.toString(storedBodyLength));
    }

    /**
     * Whether the client's own conditional is satisfied by {@code stored}, so the cache answers 304
     * itself (§4.3.2). If-None-Match takes precedence over If-Modified-Since (RFC 9110 §13.2.2).
     */
    static Optional<ResultCode> clientConditionalMatch(CacheRequest request, CacheEntry stored) {
        if (stored.status() != 200) {
            return Optional.empty(); // RFC 9110 §13.2.1: conditionals apply only to a 2xx; 304 replaces a 200
        }
        CacheHeaders headers = request.headers();
        if (headers.has("If-None-Match")) {
            String storedTag = stored.headers().first("ETag");
            for (String tag : headers.elements("If-None-Match")) {
                if (tag.equals("*") || (storedTag != null && weakMatch(tag, storedTag))) {
                    return Optional.of(ResultCode.TCP_INM_HIT);
                }
            }
            return Optional.empty();
        }
        OptionalLong since = HttpDate.parse(headers.first("If-Modified-Since"));
        if (since.isEmpty()) {
            return Optional.empty(); // an invalid date is ignored (RFC 9110 §13.1.3)
        }
        // §4.3.2: compare with Last-Modified, else Date, else the time the response was received.
        long lastModified = HttpDate.parse(stored.headers().first("Last-Modified")).orElse(Freshness.dateValue(stored));
        return lastModified <= since.getAsLong() ? Optional.of(ResultCode.TCP_IMS_HIT) : Optional.empty();
    }

    /** The fields of a 304 answered from {@code stored} (RFC 9110 §15.4.5). */
    static CacheHeaders notModifiedHeaders(CacheEntry stored) {
        CacheHeaders.Builder headers = CacheHeaders.builder();
        stored.headers().forEach((name, value) -> {
            if (NOT_MODIFIED_FIELDS.stream().anyMatch(name::equalsIgnoreCase)) {
                headers.add(name, value);
            }
        });
        return headers.build();
    }

    /** Weak comparison of entity tags (RFC 9110 §8.8.3.2): equal once any W/ prefix is removed. */
    static boolean weakMatch(String a, String b) {
        return opaque(a).equals(opaque(b));
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
