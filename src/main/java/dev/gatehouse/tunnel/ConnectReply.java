package dev.gatehouse.tunnel;

import java.nio.charset.StandardCharsets;

/**
 * The head of a parent proxy's answer to {@code CONNECT}: its status line (RFC 9112 §4) and where the head
 * ends, after the empty line (RFC 9112 §2.1). Fields are skipped: a 2xx to CONNECT carries nothing this proxy
 * uses, and the bytes after the head already belong to the tunnel (RFC 9110 §9.3.6).
 *
 * @param status     the status code
 * @param reason     the reason phrase, reduced to printable ASCII (it is shown on an error page)
 * @param headLength bytes up to and including the empty line
 */
public record ConnectReply(int status, String reason, int headLength) {
    /** The largest head accepted; a parent's answer to CONNECT is a few hundred bytes. */
    public static final int MAX_HEAD_BYTES = 16 * 1024;

    /**
     * Whether this is an interim response (1xx, RFC 9110 §15.2), to be skipped for the final answer that follows; a
     * 101 is not: it switches protocols instead of opening the tunnel.
     */
    public boolean interim() {
        return status < 200 && status != 101;
    }

    /** The parent's answer cannot be an HTTP/1.x response head. */
    public static final class MalformedReplyException extends Exception {
        MalformedReplyException(String message) {
            super(message);
        }
    }

    /**
     * Parses the head at the start of {@code bytes[0, length)}.
     *
     * @return the reply, or null when the head is not complete yet
     * @throws MalformedReplyException if the status line is not {@code HTTP/1.x NNN reason}, or no head ends
     *         within {@link #MAX_HEAD_BYTES}
     */
    public static ConnectReply parse(byte[] bytes, int length) throws MalformedReplyException {
        int statusLineEnd = -1;
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] != '\n') continue;
            int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i; // RFC 9112 §2.2: a bare LF ends a line too
            if (statusLineEnd < 0) {
                statusLineEnd = lineEnd;
            } else if (lineEnd == lineStart) {
                return statusLine(bytes, statusLineEnd, i + 1);
            }
            lineStart = i + 1;
        }
        checkPrefix(bytes, length);
        if (length >= MAX_HEAD_BYTES) throw new MalformedReplyException("no end of the response head within " + MAX_HEAD_BYTES + " bytes");
        return null;
    }

    /** Fails early on an answer that does not even start like HTTP/1.x (a parent that is not an HTTP proxy). */
    private static void checkPrefix(byte[] bytes, int length) throws MalformedReplyException {
        byte[] prefix = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < Math.min(length, prefix.length); i++) {
            if (bytes[i] != prefix[i]) throw new MalformedReplyException("the answer is not an HTTP/1.x response");
        }
    }

    /** {@code HTTP/1.x SP 3DIGIT SP [reason]} (RFC 9112 §4; the space before an empty reason may be missing in practice). */
    private static ConnectReply statusLine(byte[] bytes, int end, int headLength) throws MalformedReplyException {
        String line = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || !Character.isDigit(line.charAt(7)) || line.charAt(8) != ' '
                || !isDigits(line, 9, 12) || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new MalformedReplyException("invalid status line: " + printable(line));
        }
        int status = Integer.parseInt(line.substring(9, 12));
        if (status < 100) throw new MalformedReplyException("invalid status code " + status);
        return new ConnectReply(status, line.length() > 13 ? printable(line.substring(13)) : "", headLength);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
