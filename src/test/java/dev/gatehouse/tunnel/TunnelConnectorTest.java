package dev.gatehouse.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * The asynchronous upstream connect: each address in turn, a refused one or one that does not answer within
 * the timeout passes to the next, the outcome arrives on the IO thread. Loopback addresses stand in for a
 * name's several addresses (Linux answers on all of 127.0.0.0/8); a listener whose accept queue is full
 * stands in for an unreachable host, as Linux drops the SYNs it cannot queue.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TunnelConnectorTest {
    private static final InetAddress LISTENING = address("127.0.0.1");
    private static final InetAddress SILENT = address("127.0.0.3");

    private XnioWorker worker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final TunnelConnector connector = new TunnelConnector(
            new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8")), List.of()), Duration.ofMillis(500));

    @BeforeEach
    void start() throws Exception {
        worker = Xnio.getInstance(TunnelConnectorTest.class.getClassLoader())
                .createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) c.close();
        worker.shutdownNow();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The outcome, and whether it arrived on the IO thread the connect was started on. */
    private record Result(StreamConnection upstream, FailureException failure, boolean onIoThread) {}

    private Result connect(List<InetAddress> addresses, int port) throws Exception {
        XnioIoThread io = worker.getIoThread();
        CompletableFuture<Result> result = new CompletableFuture<>();
        io.execute(() -> connector.connect(io, addresses, port, new PendingUpstream(), new TunnelConnector.Outcome() {
            @Override
            public void connected(StreamConnection upstream) {
                result.complete(new Result(upstream, null, Thread.currentThread() == io));
            }

            @Override
            public void failed(FailureException failure) {
                result.complete(new Result(null, failure, Thread.currentThread() == io));
            }
        }));
        Result r = result.get(20, TimeUnit.SECONDS);
        if (r.upstream() != null) open.add(r.upstream());
        return r;
    }

    private ServerSocket listener(InetAddress on, int port) throws IOException {
        ServerSocket s = new ServerSocket(port, 1, on);
        open.add(s);
        return s;
    }

    /** A listener on {@code port} that accepts nothing and has a full accept queue: SYNs to it go unanswered. */
    private void silentListener(int port) throws IOException {
        ServerSocket s = listener(SILENT, port);
        // A backlog of 1 queues two connections; then Linux drops further SYNs.
        for (int i = 0; i < 3; i++) {
            SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(s.getLocalSocketAddress());
            open.add(filler);
        }
    }

    @Test
    void aRefusedAddressPassesToTheNext() throws Exception {
        ServerSocket origin = listener(LISTENING, 0);

        Result r = connect(List.of(address("127.0.0.2"), LISTENING), origin.getLocalPort());

        assertTrue(r.onIoThread());
        assertEquals(new InetSocketAddress(LISTENING, origin.getLocalPort()), r.upstream().getPeerAddress());
    }

    @Test
    void everyAddressRefusedIsConnectRefusedForTheLast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LISTENING)) {
            port = s.getLocalPort();
        }

        Result r = connect(List.of(address("127.0.0.2"), LISTENING), port);

        assertTrue(r.onIoThread());
        assertSame(Failure.CONNECT_REFUSED, r.failure().failure());
        assertTrue(r.failure().getMessage().contains("127.0.0.1:" + port), r.failure().getMessage());
    }

    @Test
    void anAddressThatDoesNotAnswerTimesOut() throws Exception {
        int port = listener(LISTENING, 0).getLocalPort();
        silentListener(port);

        Result r = connect(List.of(SILENT), port);

        assertTrue(r.onIoThread());
        assertSame(Failure.CONNECT_TIMEOUT, r.failure().failure(), r.failure()::getMessage);
        assertTrue(r.failure().getMessage().contains("127.0.0.3:" + port), r.failure().getMessage());
    }

    @Test
    void anAddressThatTimesOutPassesToTheNext() throws Exception {
        ServerSocket origin = listener(LISTENING, 0);
        silentListener(origin.getLocalPort());

        Result r = connect(List.of(SILENT, LISTENING), origin.getLocalPort());

        assertTrue(r.onIoThread());
        assertEquals(new InetSocketAddress(LISTENING, origin.getLocalPort()), r.upstream().getPeerAddress());
    }

    @Test
    void onlyNamesNeedALookup() {
        assertFalse(TunnelConnector.needsLookup(new TunnelTarget("192.0.2.1", 443)));
        assertFalse(TunnelConnector.needsLookup(new TunnelTarget("::1", 443)));
        assertTrue(TunnelConnector.needsLookup(new TunnelTarget("localhost", 443)));
        assertTrue(TunnelConnector.needsLookup(new TunnelTarget("1.2.3", 443)));
    }
}
