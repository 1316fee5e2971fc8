package dev.gatehouse.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A response's status line and header section, read strictly enough that nothing ambiguous is passed
 * on (RFC 9112 §4, §5): a bad status line, a field without a colon, whitespace before the colon or a
 * control character is a malformed response. Obsolete line folding is replaced by a space, as RFC 9112
 * §5.2 allows a proxy to do. Field names keep the origin's case; lookups ignore case.
 */
public record ResponseHead(int httpMinor, int status, String reason, HeaderFields headers) {
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_FIELDS = 256;
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    /** Interim responses accepted before the final one: enough for any real origin, and no endless stream of them. */
    private static final int MAX_INTERIM = 16;

    /**
     * Reads the final response's head, handing each interim response before it to {@code interim} as it arrives
     * (RFC 9110 §15.2: a client must be able to parse them, asked for or not). A 101 is never asked for (this client
     * sends no {@code Upgrade}) and is refused.
     *
     * @throws EOFException if the connection ended before the first byte (a stale pooled connection); once an
     *                      interim response came, the origin has answered, and an end is a plain {@link IOException}
     */
    static ResponseHead readFinal(InputStream in, InterimResponse.Listener interim) throws IOException {
        for (int interims = 0; ; interims++) {
            ResponseHead head;
            try {
                head = read(in);
            } catch (EOFException | SocketException e) {
                if (interims == 0) throw e;
                // Not a stale connection to retry: the client may already have the interim response, and would get it twice.
                throw new IOException("the server closed the connection after an interim response", e);
            }
            if (head.status() >= 200) return head;
            if (head.status() == 101) throw new MalformedResponseException("unsolicited 101 Switching Protocols");
            if (interims == MAX_INTERIM) throw new MalformedResponseException("too many interim responses");
            interim.received(new InterimResponse(head.status(), head.reason(), head.headers(), head.httpMinor()));
        }
    }

    /**
     * Reads one head.
     *
     * @throws EOFException if the connection ended before the first byte (a stale pooled connection)
     * @throws MalformedResponseException if the bytes are not a valid response head
     */
    static ResponseHead read(InputStream in) throws IOException {
        return read(in, "HTTP/1.");
    }

    /**
     * Reads one head whose status line starts with {@code protocol} and a one-digit minor version: {@code "HTTP/1."}, or
     * {@code "ICAP/1."} for an ICAP server's own head, whose syntax is HTTP's (RFC 3507 §4.3), with the same limits.
     */
    public static ResponseHead read(InputStream in, String protocol) throws IOException {
        String statusLine = line(in, true);
        if (statusLine.length() < 12 || !statusLine.startsWith(protocol) || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new MalformedResponseException("invalid status line: " + printable(statusLine));
        }
        int minor = statusLine.charAt(7) - '0';
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') throw new MalformedResponseException("invalid status code: " + printable(statusLine));
            status = status * 10 + (c - '0');
        }
        if (minor < 0 || minor > 1 || status < 100) throw new MalformedResponseException("invalid status line: " + printable(statusLine));
        String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";

        HeaderFields headers = new HeaderFields();
        List<String> lastValues = null;
        int fields = 0;
        int bytes = statusLine.length();
        while (true) {
            String line = line(in, false);
            bytes += line.length() + 2;
            if (bytes > MAX_HEADER_BYTES) throw new MalformedResponseException("response header section too large");
            if (line.isEmpty()) break;
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (lastValues == null) throw new MalformedResponseException("continuation line before any field");
                int last = lastValues.size() - 1;
                lastValues.set(last, (lastValues.get(last) + " " + line.strip()).strip()); // obs-fold → SP
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedResponseException("header line without a field name: " + printable(line));
            String name = line.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) throw new MalformedResponseException("invalid field name: " + printable(name));
            }
            String value = line.substring(colon + 1).strip();
            if (++fields > MAX_FIELDS) throw new MalformedResponseException("too many response header fields");
            lastValues = headers.add(name, value);
        }
        return new ResponseHead(minor, status, reason, headers);
    }

    public List<String> values(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** One line without its CRLF (a bare LF is accepted, RFC 9112 §2.2); control characters are refused. */
    private static String line(InputStream in, boolean first) throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && n == 0) throw new EOFException("connection closed before the response");
                throw new MalformedResponseException("connection closed inside the response header");
            }
            if (b == '\n') break;
            if (n == buf.length) {
                if (n >= MAX_LINE) throw new MalformedResponseException("response header line too long");
                buf = java.util.Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = (byte) b;
        }
        if (n > 0 && buf[n - 1] == '\r') n--;
        for (int i = 0; i < n; i++) {
            int c = buf[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new MalformedResponseException("control character in the response header");
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static String printable(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
