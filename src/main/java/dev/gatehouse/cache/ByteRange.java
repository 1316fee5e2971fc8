package dev.gatehouse.cache;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a single-range GET from a complete stored body (RFC 9110 §14): the whole body, one
 * byte range (206), or 416. Multiple ranges and other units are ignored and the whole body is
 * sent, which §14.2 allows.
 *
 * @param kind  what to send
 * @param first the first byte to send (0 for {@link Kind#FULL})
 * @param last  the last byte to send, inclusive ({@code length - 1} for {@link Kind#FULL})
 * @param headers the fields to add: {@code Content-Range} and {@code Content-Length} for 206 and 416
 */
public record ByteRange(Kind kind, long first, long last, CacheHeaders headers) {
    private static final Pattern SINGLE = Pattern.compile("bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)", Pattern.CASE_INSENSITIVE);
    /** §14.4: "bytes first-last/complete", "bytes first-last/*" or "bytes *&#47;complete"; group 1 is the complete length. */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(?:\\d+-\\d+|\\*)/(\\d{1,18}|\\*)", Pattern.CASE_INSENSITIVE);

    /** What the response is. */
    public enum Kind {
        /** 200 with the whole body (no Range, an ignored Range, or If-Range did not match). */
        FULL,
        /** 206 Partial Content with bytes {@code first..last}. */
        PARTIAL,
        /** 416 Range Not Satisfiable (RFC 9110 §15.5.17). */
        UNSATISFIABLE
    }

    /** The number of body bytes to send. */
    public long length() {
        return kind == Kind.UNSATISFIABLE ? 0 : last - first + 1;
    }

    /** What to send for {@code request} from {@code stored}, whose complete body is {@code bodyLength} bytes. */
    public static ByteRange of(CacheRequest request, CacheEntry stored, long bodyLength) {
        return of(request, stored, whole(bodyLength));
    }

    /** The whole body of {@code bodyLength} bytes, {@link Kind#FULL}. */
    public static ByteRange whole(long bodyLength) {
        return new ByteRange(Kind.FULL, 0, bodyLength - 1, CacheHeaders.empty());
    }

    /**
     * As {@link #of(CacheRequest, CacheEntry, long)} with the complete body given as {@code full}, its
     * {@link #whole}: a caller that keeps that for all the requests a stored response answers allocates
     * nothing for the many that ask for all of it.
     */
    public static ByteRange of(CacheRequest request, CacheEntry stored, ByteRange full) {
        if (full.kind() != Kind.FULL || full.first() != 0) throw new IllegalArgumentException("not a whole body: " + full);
        long bodyLength = full.length();
        List<String> ranges = request.headers().all("Range");
        // §14.2: Range applies to GET only, and only to a 200 we can cut (not a stored error or redirect).
        if (!request.method().equals("GET") || ranges.size() != 1 || stored.status() != 200
                || !ifRangeMatches(request.headers().first("If-Range"), stored)) {
            return full;
        }
        Matcher m = SINGLE.matcher(ranges.getFirst().strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return full; // several ranges, another unit, or garbage: ignore the field (§14.2)
        }
        OptionalLong first = number(m.group(1));
        OptionalLong last = number(m.group(2));
        if (first.isEmpty()) {
            // suffix-range "-n": the last n bytes (§14.1.1); "-0" cannot be satisfied
            long suffix = last.getAsLong();
            if (suffix == 0) {
                return unsatisfiable(bodyLength);
            }
            if (bodyLength == 0) {
                return full; // satisfiable (§14.1.1), but no 206 can name a byte of an empty body: send it whole
            }
            return partial(Math.max(0, bodyLength - suffix), bodyLength - 1, bodyLength);
        }
        if (last.isPresent() && last.getAsLong() < first.getAsLong()) {
            return full; // an invalid range-spec: ignore the field (§14.1.1)
        }
        if (first.getAsLong() >= bodyLength) {
            return unsatisfiable(bodyLength);
        }
        long end = last.isPresent() ? Math.min(last.getAsLong(), bodyLength - 1) : bodyLength - 1;
        return partial(first.getAsLong(), end, bodyLength);
    }

    /**
     * §13.1.5: without If-Range the range applies; with an entity-tag it applies only on a strong
     * match; with a date, only when it equals the stored Last-Modified exactly and that is a strong
     * validator: to a cache, one at least a second before the stored Date (§8.8.2.2).
     */
    private static boolean ifRangeMatches(String ifRange, CacheEntry stored) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            String etag = stored.headers().first("ETag");
            return !value.startsWith("W/") && etag != null && !etag.startsWith("W/") && etag.equals(value);
        }
        OptionalLong date = HttpDate.parse(value);
        OptionalLong lastModified = HttpDate.parse(stored.headers().first("Last-Modified"));
        long storedDate = stored.headers().responseFacts().dateMillis(); // Long.MIN_VALUE without a Date
        return date.isPresent() && lastModified.isPresent() && date.getAsLong() == lastModified.getAsLong()
                && storedDate != Long.MIN_VALUE && storedDate - lastModified.getAsLong() >= 1000;
    }

    private static ByteRange partial(long first, long last, long bodyLength) {
        CacheHeaders headers = CacheHeaders.of(
                "Content-Range", String.format(Locale.ROOT, "bytes %d-%d/%d", first, last, bodyLength),
                "Content-Length", Long.toString(last - first + 1));
        return new ByteRange(Kind.PARTIAL, first, last, headers);
    }

    /**
     * The complete length a {@code Content-Range} field of a 206 or 416 names (RFC 9110 §14.4), or -1 when it
     * names none ({@code *}), is absent, or cannot be read.
     */
    public static long completeLength(String contentRange) {
        if (contentRange == null) {
            return -1;
        }
        Matcher m = CONTENT_RANGE.matcher(contentRange.strip());
        return m.matches() && !m.group(1).equals("*") ? Long.parseLong(m.group(1)) : -1;
    }

    private static ByteRange unsatisfiable(long bodyLength) {
        return new ByteRange(Kind.UNSATISFIABLE, 0, -1,
                CacheHeaders.of("Content-Range", "bytes */" + bodyLength, "Content-Length", "0"));
    }

    private static OptionalLong number(String digits) {
        if (digits.isEmpty()) {
            return OptionalLong.empty();
        }
        // More digits than a long holds is past any body we store: treat as "the end".
        return OptionalLong.of(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
    }
}
