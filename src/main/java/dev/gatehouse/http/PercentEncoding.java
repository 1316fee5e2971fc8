package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of a value as one URI component (RFC 3986 §2.1, §2.3): all but the unreserved characters. */
public final class PercentEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /**
     * @param value any text
     * @return its UTF-8 bytes with everything but {@code ALPHA DIGIT - . _ ~} as {@code %XX}, so that the result
     *         is exactly one path segment or query value whatever the text holds ({@code / ? # & = %} and spaces included)
     */
    public static String component(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
