package dev.gatehouse.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/** A splice between two real loopback connections, on an XNIO worker of its own. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpliceTest {
    private XnioWorker worker;
    private final DefaultByteBufferPool pool = new DefaultByteBufferPool(true, 64 * 1024, 16, 0);

    @BeforeEach
    void start() throws Exception {
        worker = Xnio.getInstance(SpliceTest.class.getClassLoader())
                .createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    /**
     * A closed tunnel must not stay reachable: its idle check, due {@code idleTimeout} later, sat in the IO
     * thread's timer queue and kept both connections (and, in the proxy, the exchange and its audit record)
     * alive for ten minutes per tunnel.
     */
    @Test
    void aClosedTunnelIsNotKeptByItsIdleCheck() throws Exception {
        WeakReference<Splice> ref = spliceAndClose();

        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the closed splice is still reachable");
    }

    @Test
    void bytesGoBothWaysAndAnEndOnOneSideEndsTheTunnel() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Splice> closed = new CompletableFuture<>();
            try (Socket client = new Socket()) {
                try (Socket atOrigin = connectThroughSplice(origin, client, closed)) {
                    byte[] up = "hello origin".getBytes();
                    client.getOutputStream().write(up);
                    assertArrayEquals(up, atOrigin.getInputStream().readNBytes(up.length));
                    byte[] down = new byte[1 << 20]; // more than one buffer and the socket buffers
                    for (int i = 0; i < down.length; i++) down[i] = (byte) (i * 31);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        try (OutputStream out = atOrigin.getOutputStream()) {
                            out.write(down);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    InputStream in = client.getInputStream();
                    assertArrayEquals(down, in.readNBytes(down.length));
                    writer.join();
                    assertEquals(-1, in.read(), "the origin's end reaches the client");
                    client.shutdownOutput();
                }
                Splice splice = closed.get(10, TimeUnit.SECONDS);
                assertEquals("eof", splice.closeReason());
                assertEquals(12, splice.bytesFromClient());
                assertEquals(1 << 20, splice.bytesToClient());
            }
        }
    }

    private WeakReference<Splice> spliceAndClose() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            CompletableFuture<Splice> closed = new CompletableFuture<>();
            Socket atOrigin = connectThroughSplice(origin, client, closed);
            atOrigin.close();
            client.close();
            Splice splice = closed.get(10, TimeUnit.SECONDS);
            assertTrue(splice.closeReason().equals("eof") || splice.closeReason().startsWith("error"), splice.closeReason());
            return new WeakReference<>(splice);
        }
    }

    /**
     * Connects {@code client} to a connection the worker accepts, as the proxy's listener would, and splices
     * it to one the worker opens to {@code origin}; returns the origin's end of that. {@code closed}
     * completes with the splice when it closes.
     */
    private Socket connectThroughSplice(ServerSocket origin, Socket client, CompletableFuture<Splice> closed)
            throws Exception {
        CompletableFuture<StreamConnection> accepted = new CompletableFuture<>();
        AcceptingChannel<StreamConnection> listener = worker.createStreamConnectionServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), channel -> {
                    try {
                        StreamConnection c = channel.accept();
                        if (c != null) accepted.complete(c);
                    } catch (IOException e) {
                        accepted.completeExceptionally(e);
                    }
                }, OptionMap.EMPTY);
        listener.resumeAccepts();
        client.connect(listener.getLocalAddress());
        StreamConnection fromClient = accepted.get(10, TimeUnit.SECONDS);
        listener.close();
        StreamConnection toOrigin = fromClient.getIoThread().openStreamConnection(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), origin.getLocalPort()), null, OptionMap.EMPTY).get();
        Socket atOrigin = origin.accept();
        Splice.start(fromClient, toOrigin, pool, Duration.ofMinutes(10), s -> { }, closed::complete);
        return atOrigin;
    }
}
