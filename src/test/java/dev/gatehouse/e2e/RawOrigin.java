package dev.gatehouse.e2e;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin on a plain loopback {@link ServerSocket} for what MockWebServer cannot do: garbage
 * responses, closing at an exact point, streaming bodies larger than the heap, noticing when the proxy
 * drops the connection. Each connection is served by {@code behaviour} on its own virtual thread;
 * what happened is posted to {@link #events()}.
 */
final class RawOrigin implements AutoCloseable {
    /** Serves one accepted connection; {@code index} counts connections from 0. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket socket, int index, RawOrigin origin) throws Exception;
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    RawOrigin(Behaviour behaviour) throws IOException {
        this(InetAddress.getLoopbackAddress(), behaviour);
    }

    RawOrigin(InetAddress bind, Behaviour behaviour) throws IOException {
        this.server = new ServerSocket(0, 50, bind);
        this.behaviour = behaviour;
        this.acceptor = Thread.ofVirtual().name("raw-origin-accept").start(this::acceptLoop);
    }

    int port() { return server.getLocalPort(); }

    /** {@code http://127.0.0.1:port} + path. */
    String url(String path) { return "http://127.0.0.1:" + port() + path; }

    int connections() { return accepted.get(); }

    /** Things the behaviour reported, in order. */
    BlockingQueue<String> events() { return events; }

    void post(String event) { events.add(event); }

    /** Waits (bounded) for the next event. */
    String nextEvent() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("the origin reported nothing");
        return e;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            int index = accepted.getAndIncrement();
            sockets.add(s);
            Thread.ofVirtual().name("raw-origin-" + index).start(() -> {
                try (s) {
                    s.setSoTimeout(30_000);
                    behaviour.serve(s, index, this);
                } catch (Exception e) {
                    post("failed: " + e);
                }
            });
        }
    }

    /** Reads a request head (request line and fields) up to the empty line; null at a clean end of stream. */
    static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (lines.isEmpty() && line.size() == 0) return null;
                throw new EOFException("end of stream inside a request head");
            }
            if (c == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1);
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                if (l.isEmpty()) return lines;
                lines.add(l);
                line.reset();
            } else {
                line.write(c);
            }
        }
    }

    /** The value of {@code name} in a head read by {@link #readHead}, or null. */
    static String field(List<String> head, String name) {
        for (String l : head.subList(1, head.size())) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) return l.substring(colon + 1).trim();
        }
        return null;
    }

    /** Reads (and drops) a request's content, framed by Content-Length or chunked (RFC 9112 §6, §7.1). */
    static void readBody(InputStream in, List<String> head) throws IOException {
        String length = field(head, "Content-Length");
        String encoding = field(head, "Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) { } // trailer fields
                    return;
                }
                in.readNBytes(size);
                line(in);
            }
        }
        if (length != null) in.readNBytes(Integer.parseInt(length.trim()));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') line.write(c);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
        acceptor.interrupt();
    }
}
