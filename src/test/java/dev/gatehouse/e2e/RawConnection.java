package dev.gatehouse.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client connection written by hand, for what the JDK client will not send or hides:
 * malformed framing, hop-by-hop fields, interim responses, keep-alive on one socket, CONNECT, and
 * responses that end early. Reads have a timeout, so a missing answer fails instead of hanging.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long bytesRead;

    RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(15_000);
        this.in = new BufferedInputStream(new java.io.FilterInputStream(socket.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) bytesRead += n;
                return n;
            }
        });
        this.out = socket.getOutputStream();
    }

    static RawConnection open(InetSocketAddress address) throws IOException {
        return new RawConnection(new Socket(address.getAddress(), address.getPort()));
    }

    /** Opens a connection, sends {@code request}, reads one response and closes. */
    static Response roundTrip(InetSocketAddress address, String request) throws IOException {
        try (RawConnection c = open(address)) {
            return c.send(request).readResponse();
        }
    }

    Socket socket() { return socket; }

    /** Bytes received from the socket so far (including any read ahead into the buffer). */
    long bytesRead() { return bytesRead; }

    InputStream input() { return in; }

    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** A response's status line and header section, and its body as far as it came. */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean complete) {
        String header(String name) {
            for (Map.Entry<String, String> h : headers) if (h.getKey().equalsIgnoreCase(name)) return h.getValue();
            return null;
        }

        List<String> headerNames() {
            return headers.stream().map(h -> h.getKey().toLowerCase(Locale.ROOT)).toList();
        }

        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** Reads a status line and header section only (an interim 1xx, or the head of a CONNECT answer). */
    Response readHead() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException("not a status line: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.add(Map.entry(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
        }
        return new Response(status, headers, new byte[0], true);
    }

    /** Reads one whole final response (interim 1xx responses are skipped). */
    Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** As {@link #readResponse()}; {@code toHead} says the request was HEAD, so no body follows. */
    Response readResponse(boolean toHead) throws IOException {
        Response head = readHead();
        while (head.status() >= 100 && head.status() < 200) head = readHead();
        int status = head.status();
        if (toHead || status == 204 || status == 304) return head;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            complete = readChunked(body);
        } else if (cl != null) {
            long length = Long.parseLong(cl);
            complete = copy(body, length) == length;
        } else {
            copy(body, Long.MAX_VALUE);
            complete = true; // delimited by the close
        }
        return new Response(status, head.headers(), body.toByteArray(), complete);
    }

    /** True once the peer has closed the connection (end of stream or reset); false on timeout. */
    boolean awaitClosed() throws IOException {
        try {
            byte[] b = new byte[8192];
            while (in.read(b) >= 0) {
                // discard whatever still comes
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private boolean readChunked(ByteArrayOutputStream body) throws IOException {
        try {
            while (true) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailer fields
                    }
                    return true;
                }
                if (copy(body, size) != size) return false;
                if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
            }
        } catch (EOFException | SocketException e) {
            return false;
        }
    }

    private long copy(ByteArrayOutputStream to, long max) throws IOException {
        byte[] b = new byte[8192];
        long total = 0;
        try {
            while (total < max) {
                int n = in.read(b, 0, (int) Math.min(b.length, max - total));
                if (n < 0) break;
                to.write(b, 0, n);
                total += n;
            }
        } catch (SocketException e) {
            // reset: the body ends here
        }
        return total;
    }

    /** One line without its CRLF; a bare LF also ends it. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new EOFException("connection closed after: " + sb);
            if (c == '\n') break;
            sb.append((char) c);
        }
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
