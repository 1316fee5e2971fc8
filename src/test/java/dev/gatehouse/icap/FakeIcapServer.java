package dev.gatehouse.icap;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ICAP server for tests, on loopback: parses each request strictly (head, {@code Encapsulated} sections by their
 * offsets, chunked body with {@code ieof}), records it, and answers as the test's {@link Script} says. OPTIONS are
 * answered with {@link #options}. Each connection is served on its own thread, keep-alive.
 */
final class FakeIcapServer implements AutoCloseable {
    /** One request as received. */
    record Received(String method, Map<String, String> fields, String requestHead, String responseHead, byte[] preview,
                    boolean previewIeof, byte[] body, int connection) {
        String field(String name) {
            return fields.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to do with a RESPMOD. */
    interface Script {
        /** After the preview (or, without one, the whole body): bytes to write, or null for "100 Continue" then {@link #afterRest}. */
        byte[] afterPreview(Received request) throws IOException;

        /** After the rest of the body, when {@link #afterPreview} returned null. */
        default byte[] afterRest(Received request) throws IOException {
            throw new IllegalStateException("no answer after the rest");
        }
    }

    /** An answer that closes the connection without a byte, as a service does to an idle keep-alive connection. */
    static final byte[] CLOSE = new byte[0];

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile String options = "ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nISTag: \"fake-1\"\r\nPreview: 8\r\nAllow: 204\r\n"
            + "Max-Connections: 4\r\nOptions-TTL: 3600\r\nEncapsulated: null-body=0\r\n\r\n";
    volatile Script script;

    FakeIcapServer(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    String url(String service) {
        return "icap://127.0.0.1:" + server.getLocalPort() + "/" + service;
    }

    int connections() {
        return connections.get();
    }

    List<Received> respmods() {
        return received.stream().filter(r -> r.method().equals("RESPMOD")).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int id = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket, id));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int id) {
        try (socket) {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) return;
                Map<String, String> fields = new LinkedHashMap<>();
                for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                    int colon = l.indexOf(':');
                    fields.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
                }
                String method = requestLine.substring(0, requestLine.indexOf(' '));
                if (method.equals("OPTIONS")) {
                    received.add(new Received(method, fields, null, null, null, false, null, id));
                    out.write(options.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    continue;
                }
                Map<String, Integer> sections = new LinkedHashMap<>();
                for (String part : fields.get("encapsulated").split(",")) {
                    String[] kv = part.strip().split("=");
                    sections.put(kv[0], Integer.parseInt(kv[1]));
                }
                // RESPMOD: req-hdr, res-hdr, res-body; REQMOD: req-hdr, req-body (its responseHead is empty)
                int resBody = sections.containsKey("res-body") ? sections.get("res-body") : sections.get("req-body");
                int resHdr = sections.getOrDefault("res-hdr", resBody);
                String requestHead = new String(in.readNBytes(resHdr), StandardCharsets.ISO_8859_1);
                String responseHead = new String(in.readNBytes(resBody - resHdr), StandardCharsets.ISO_8859_1);
                boolean preview = fields.containsKey("preview");
                ByteArrayOutputStream first = new ByteArrayOutputStream();
                boolean ieof = chunks(in, first);
                Received r = new Received(method, fields, requestHead, responseHead, preview ? first.toByteArray() : null, ieof,
                        preview ? null : first.toByteArray(), id);
                byte[] answer = script.afterPreview(r);
                if (answer == CLOSE) {
                    received.add(r);
                    return;
                }
                if (answer == null) {
                    out.write("ICAP/1.0 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    ByteArrayOutputStream rest = new ByteArrayOutputStream();
                    rest.write(first.toByteArray());
                    chunks(in, rest);
                    r = new Received(method, fields, requestHead, responseHead, first.toByteArray(), false, rest.toByteArray(), id);
                    answer = script.afterRest(r);
                }
                received.add(r);
                if (answer.length > 0) {
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            // the client closed
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads chunks up to the last one into {@code to}; true if it carried {@code ieof}. */
    private static boolean chunks(InputStream in, ByteArrayOutputStream to) throws IOException {
        while (true) {
            String size = line(in);
            if (size == null) throw new EOFException();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) {
                line(in); // the empty line after the last chunk
                return semi >= 0 && size.substring(semi + 1).strip().equals("ieof");
            }
            to.write(in.readNBytes(n));
            if (!"".equals(line(in))) throw new IOException("chunk not followed by CRLF");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') s.append((char) c);
        return c < 0 && s.isEmpty() ? null : s.toString();
    }

    /** An ICAP 200 carrying {@code httpHead} and {@code body} (chunked), with {@code icapFields} in the ICAP head. */
    static byte[] answer(String icapFields, String httpHead, byte[] body) {
        byte[] head = httpHead.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("ICAP/1.0 200 OK\r\nISTag: \"fake-1\"\r\n" + icapFields + "Encapsulated: res-hdr=0, "
                + (body == null ? "null-body=" : "res-body=") + head.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(head);
        if (body != null) {
            if (body.length > 0) {
                out.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(body);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    /** A REQMOD's 200 carrying a modified request: {@code httpHead} and {@code body} (chunked), or no body when null. */
    static byte[] requestAnswer(String httpHead, byte[] body) {
        byte[] response = answer("", httpHead, body);
        String text = new String(response, StandardCharsets.ISO_8859_1).replaceFirst("res-hdr=0", "req-hdr=0")
                .replaceFirst("res-body=", "req-body=");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The URL of {@code service} on a loopback port that was free a moment ago: connecting is refused. */
    static String nobodyListening(String service) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "icap://127.0.0.1:" + s.getLocalPort() + "/" + service;
        }
    }

    /** {@code size} bytes that are the same for the same size. */
    static byte[] random(int size) {
        byte[] b = new byte[size];
        new java.util.Random(size).nextBytes(b);
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
