package dev.gatehouse.listener;

import dev.gatehouse.cache.CacheHeaders;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;

/** Converts header fields between Undertow's and the upstream client's shapes and the cache's {@link CacheHeaders}. */
final class CacheFields {
    private CacheFields() {}

    /** A client request's fields as the cache sees them. */
    static CacheHeaders of(HeaderMap headers) {
        CacheHeaders.Builder builder = CacheHeaders.builder(headers.size()); // names: a repeated one grows it
        for (HeaderValues values : headers) {
            String name = values.getHeaderName().toString();
            for (String value : values) builder.add(name, value);
        }
        return builder.build();
    }

    /** An origin response's fields as the cache sees them (pseudo-fields such as {@code :status} left out). */
    static CacheHeaders of(Map<String, List<String>> headers) {
        CacheHeaders.Builder builder = CacheHeaders.builder();
        for (Map.Entry<String, List<String>> field : headers.entrySet()) {
            if (field.getKey().startsWith(":")) continue;
            for (String value : field.getValue()) builder.add(field.getKey(), value);
        }
        return builder.build();
    }

    /** Adds every field line of {@code from} to {@code to}. */
    static void copy(CacheHeaders from, HeaderMap to) {
        from.forEach((name, value) -> to.add(HttpString.tryFromString(name), value));
    }

    /** The framing length from {@code Content-Length}, or -1 when the body is delimited otherwise (chunked, close). */
    static long contentLength(CacheHeaders headers) {
        String value = headers.first("Content-Length");
        if (value == null || headers.has("Transfer-Encoding")) return -1;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
