package dev.gatehouse.listener;

import dev.gatehouse.cache.ByteRange;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.http.Via;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;

/**
 * The header fields a stored response goes out with, in Undertow's terms: every stored field but those the
 * caller writes itself, each name already an {@link HttpString}, and one {@code Via} with this proxy's entry
 * appended to what the origin's chain sent (RFC 9110 §7.6.3).
 *
 * <p>A memory-tier response keeps its head for all its hits (see
 * {@link dev.gatehouse.cache.CacheStore.StoredResponse#derived}): then a hit only adds {@code Age} and
 * {@code X-Cache}, where it used to turn every field name into an {@code HttpString} and build {@code Via}
 * again. Immutable but for the {@link #ageText} memo, so the IO threads share it.
 */
final class ResponseHead {
    private final HttpString[] names;
    private final String[] values;
    private final String via;
    private final String contentLength;
    /** The whole body as a range, for the requests that ask for all of it (most); null as contentLength. */
    private final ByteRange whole;
    /**
     * The last {@code Age} text asked for: a stored response's age changes once a second, and the hits within
     * that second share one string instead of formatting their own. Racy by design: each value is immutable.
     */
    private volatile AgeText lastAge;

    private record AgeText(long seconds, String text) {}

    private ResponseHead(HttpString[] names, String[] values, String via, long bodyLength) {
        this.names = names;
        this.values = values;
        this.via = via;
        this.contentLength = bodyLength < 0 ? null : Long.toString(bodyLength);
        this.whole = bodyLength < 0 ? null : ByteRange.whole(bodyLength);
    }

    /**
     * The head for {@code fields} without any named in {@code skip} (compared case-insensitively), whose
     * {@code Via} lines become one value ending with {@code proxy}'s 1.1 entry (a stored response does not keep the
     * version it was received with); {@code bodyLength} is the {@code Content-Length} of a whole stored body, or
     * -1 where none is sent.
     */
    static ResponseHead of(CacheHeaders fields, List<String> skip, Via proxy, long bodyLength) {
        List<Map.Entry<String, String>> lines = fields.fields();
        int n = lines.size();
        HttpString[] names = new HttpString[n];
        String[] values = new String[n];
        int kept = 0;
        String received = null;
        for (int i = 0; i < n; i++) {
            String name = lines.get(i).getKey();
            String value = lines.get(i).getValue();
            if (name.equalsIgnoreCase("Via")) {
                received = received == null ? value : received + ", " + value;
            } else if (!skipped(skip, name)) {
                names[kept] = HttpString.tryFromString(name);
                values[kept++] = value;
            }
        }
        if (kept < n) {
            names = java.util.Arrays.copyOf(names, kept);
            values = java.util.Arrays.copyOf(values, kept);
        }
        return new ResponseHead(names, values, proxy.append(received), bodyLength);
    }

    private static boolean skipped(List<String> skip, String name) {
        for (int i = 0; i < skip.size(); i++) {
            if (skip.get(i).equalsIgnoreCase(name)) return true;
        }
        return false;
    }

    /** Adds the fields, in their stored order, and sets {@code Via}. */
    void addTo(HeaderMap out) {
        for (int i = 0; i < names.length; i++) {
            out.add(names[i], values[i]);
        }
        out.put(Headers.VIA, via);
    }

    /** {@code seconds} as the text of an {@code Age} field (RFC 9111 §5.1). */
    String ageText(long seconds) {
        AgeText last = lastAge;
        if (last == null || last.seconds() != seconds) {
            last = new AgeText(seconds, Long.toString(seconds));
            lastAge = last;
        }
        return last.text();
    }

    /** The whole body's {@code Content-Length} value; only for a head made with a body length. */
    String contentLength() {
        if (contentLength == null) throw new IllegalStateException("this head was made without a body length");
        return contentLength;
    }

    /** The whole body as a {@link ByteRange}; only for a head made with a body length. */
    ByteRange whole() {
        if (whole == null) throw new IllegalStateException("this head was made without a body length");
        return whole;
    }
}
