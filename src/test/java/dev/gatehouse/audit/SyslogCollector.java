package dev.gatehouse.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A syslog collector for tests: listens on loopback TCP and parses each octet-counted frame (RFC 6587 §3.4.1) into a
 * message; or, {@linkplain #stalled stalled}, accepts connections and never reads from them.
 */
public final class SyslogCollector implements AutoCloseable {
    private final ServerSocket server;
    private final boolean reads;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SyslogCollector(int port, boolean reads) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        if (!reads) server.setReceiveBufferSize(4096); // fills sooner: the sender stalls after a few KiB, not MiB
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.reads = reads;
        this.acceptor = Thread.ofPlatform().daemon(true).name("test-syslog-collector").start(this::accept);
    }

    /** A collector that reads every frame, on an ephemeral port. */
    public static SyslogCollector start() throws IOException {
        return new SyslogCollector(0, true);
    }

    /** A collector that reads every frame, on {@code port} (one that was free a moment ago). */
    public static SyslogCollector startOn(int port) throws IOException {
        return new SyslogCollector(port, true);
    }

    /** A collector that accepts connections and never reads a byte. */
    public static SyslogCollector stalled() throws IOException {
        return new SyslogCollector(0, false);
    }

    /** A loopback port nothing listens on (free a moment ago). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code tcp://127.0.0.1:PORT}, for {@code audit.syslog.target}. */
    public String target() {
        return "tcp://127.0.0.1:" + port();
    }

    /** The next {@code n} messages, in arrival order; fails if they do not all come within {@code seconds}. */
    public List<String> await(int n, long seconds) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (got.size() < n) {
            String m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) throw new AssertionError("syslog collector got " + got.size() + " of " + n + " messages: " + got);
            got.add(m);
        }
        return got;
    }

    /** Messages received and not yet taken. */
    public int pending() {
        return messages.size();
    }

    public int connectionCount() {
        return connections.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.add(s);
                if (reads) Thread.ofPlatform().daemon(true).name("test-syslog-reader").start(() -> read(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void read(Socket s) {
        try (InputStream in = new BufferedInputStream(s.getInputStream())) {
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ' ') {
                    if (c < 0) return;
                    if (c < '0' || c > '9') throw new IOException("not octet-counting framing: byte " + c);
                    length = length * 10 + (c - '0');
                }
                byte[] message = in.readNBytes(length);
                if (message.length < length) return;
                messages.add(new String(message, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            messages.add("FRAMING ERROR " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) s.close();
    }
}
