package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.http.RequestTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The address loop: an origin name with two addresses (127.0.0.2 first, then 127.0.0.1, through the guard's
 * injectable resolver, as no real name resolves to two loopback addresses here), served by real sockets on the same
 * port. What the first address does decides whether the second is asked.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamClientRetryTest {
    private static final String NAME = "two-addresses.test";
    private Server second;
    private Server first;
    private UpstreamClient client;

    /** A server on one address: each connection is served by {@code behaviour} on its own virtual thread. */
    private static final class Server implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        Server(InetAddress address, int port, Behaviour behaviour) throws IOException {
            socket = new ServerSocket(port, 50, address);
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                behaviour.serve(s);
                            } catch (Exception ignored) {
                                // the client side decides what the test sees
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @FunctionalInterface
    private interface Behaviour {
        void serve(Socket s) throws Exception;
    }

    /** Reads the request head up to its empty line. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int b; matched < 4 && (b = in.read()) >= 0; ) matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @BeforeEach
    void startTheSecondAddress() throws IOException {
        second = new Server(InetAddress.getByName("127.0.0.1"), 0, s -> {
            readHead(s.getInputStream());
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecond");
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) client.close();
        if (first != null) first.close();
        second.close();
    }

    /** The first address, on the second's port, serving with {@code behaviour}; and the client, with {@code maxTries}. */
    private void firstAddress(Behaviour behaviour, int maxTries) throws IOException {
        first = new Server(InetAddress.getByName("127.0.0.2"), second.socket.getLocalPort(), behaviour);
        clientWith(maxTries);
    }

    /** The client, with {@code maxTries}, for the name that resolves to both addresses. */
    private void clientWith(int maxTries) {
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8")), List.of(), host -> {
            if (!host.equals(NAME)) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")};
        });
        client = new UpstreamClient(guard, ParentProxies.NONE, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2), maxTries);
    }

    private UpstreamRequest get() {
        return new UpstreamRequest("GET", target(), List.of(), null, -1);
    }

    /** The origin, on the port both addresses listen on. */
    private RequestTarget target() {
        return RequestTarget.of("http://" + NAME + ":" + second.socket.getLocalPort() + "/x");
    }

    private String body(UpstreamRequest request) throws Exception {
        try (UpstreamResponse r = client.send(request)) {
            return new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1) + " from " + r.upstreamAddress().getHostAddress();
        }
    }

    private FailureException failure(UpstreamRequest request) {
        return assertThrows(FailureException.class, () -> client.send(request).close());
    }

    @Test
    void aGetGoesToTheNextAddressWhenTheFirstClosesWithoutAByte() throws Exception {
        firstAddress(s -> readHead(s.getInputStream()), 25);
        assertEquals("second from 127.0.0.1", body(get()));
        assertEquals(1, first.connections.get());
    }

    @Test
    void aGetGoesToTheNextAddressWhenTheFirstResetsTheConnection() throws Exception {
        firstAddress(s -> {
            s.setSoLinger(true, 0); // close = RST
            readHead(s.getInputStream());
        }, 25);
        assertEquals("second from 127.0.0.1", body(get()));
    }

    @Test
    void aPostWithABodyIsNotSentToTheNextAddress() throws Exception {
        firstAddress(s -> readHead(s.getInputStream()), 25);
        byte[] form = "a=1".getBytes(StandardCharsets.ISO_8859_1);
        FailureException e = failure(new UpstreamRequest("POST", target(), List.of(), new ByteArrayInputStream(form), form.length));
        assertEquals(Failure.UPSTREAM_CLOSED, e.failure());
        assertEquals(0, second.connections.get(), "a body is never sent twice");
    }

    @Test
    void aCloseAfterTheFirstResponseByteIsNotRetried() throws Exception {
        firstAddress(s -> {
            readHead(s.getInputStream());
            write(s, "HTTP/1.1 200 OK\r\nContent-");
        }, 25);
        assertEquals(Failure.MALFORMED_RESPONSE, failure(get()).failure(), "a head cut short");
        assertEquals(0, second.connections.get(), "the server had begun to answer");
    }

    @Test
    void aCloseAfterAnInterimResponseIsNotRetried() throws Exception {
        firstAddress(s -> {
            readHead(s.getInputStream());
            write(s, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n");
        }, 25);
        assertEquals(Failure.UPSTREAM_CLOSED, failure(get()).failure());
        assertEquals(0, second.connections.get(), "the client may already have the 103");
    }

    @Test
    void aResponseTimeoutIsNotRetried() throws Exception {
        firstAddress(s -> {
            readHead(s.getInputStream());
            s.getInputStream().read(); // silent until the client gives up
        }, 25);
        assertEquals(Failure.UPSTREAM_TIMEOUT, failure(get()).failure());
        assertEquals(0, second.connections.get(), "a slow origin is not asked twice");
    }

    @Test
    void aRefusedAddressIsPassedOverForTheNext() throws Exception {
        // Nothing ever listens on 127.0.0.2 (a listener closed just before would not do: the JDK defers the close of a
        // socket a thread is still accepting on, so a connect could still land in its backlog and then be reset).
        clientWith(25);
        assertEquals("second from 127.0.0.1", body(new UpstreamRequest("POST", target(), List.of(),
                new ByteArrayInputStream(new byte[] {'x'}), 1)), "nothing was sent: any request may go on");
    }

    @Test
    void oneTryAllowedMeansTheFirstAddressOnly() throws Exception {
        firstAddress(s -> readHead(s.getInputStream()), 1);
        assertEquals(Failure.UPSTREAM_CLOSED, failure(get()).failure());
        assertEquals(0, second.connections.get());
    }
    /**
     * The client resetting its connection mid-upload (Undertow's read then fails with the NIO socket's
     * {@code SocketException}) is the client's failure, not the parent's: the parent, which accepted the request and
     * was reading it, is not passed over for everyone else's requests.
     */
    @Test
    void aClientThatFailsMidUploadDoesNotMarkTheParentDown() throws Exception {
        Server parentA = new Server(InetAddress.getByName("127.0.0.2"), 0, s -> s.getInputStream().transferTo(OutputStream.nullOutputStream()));
        ParentProxies.Parent a = new ParentProxies.Parent("127.0.0.2", parentA.socket.getLocalPort());
        ParentProxies.Parent b = new ParentProxies.Parent("127.0.0.1", second.socket.getLocalPort());
        ParentProxies parents = new ParentProxies(List.of(a, b), null, List.of(), false, Duration.ofSeconds(30), System::nanoTime,
                ParentProxies.Selection.ORDERED);
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8")), List.of(), host -> {
            throw new UnknownHostException(host);
        });
        client = new UpstreamClient(guard, parents, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2), 25);
        try (parentA) {
            InputStream reset = new InputStream() {
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent++ < 5) return 'x';
                    throw new SocketException("Connection reset");
                }
            };
            RequestTarget origin = RequestTarget.of("http://origin.test/upload");
            failure(new UpstreamRequest("POST", origin, List.of(), reset, 100));
            assertEquals(a, parents.route("origin.test", null).parents().getFirst(), "the client's reset passed the parent over");
            // The body ending early (the client closed before its Content-Length) is the client's failure as well.
            failure(new UpstreamRequest("POST", origin, List.of(), new ByteArrayInputStream(new byte[5]), 100));
            assertEquals(a, parents.route("origin.test", null).parents().getFirst(), "the client's short body passed the parent over");
        }
    }
    /**
     * An origin closes a keep-alive connection after a few idle seconds (Apache's KeepAliveTimeout is 5 s, the pool
     * keeps one 15 s): a POST then must not go on that connection, where it could only fail (its body is never sent
     * twice), but on a new one, as Squid opens a new connection for a request it cannot retry.
     */
    @Test
    void aPostAfterTheOriginClosedTheIdleConnectionGoesOnANewOne() throws Exception {
        Server origin = new Server(InetAddress.getByName("127.0.0.1"), 0, s -> {
            InputStream in = s.getInputStream();
            readHead(in);
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            Thread.sleep(50); // then the origin's keep-alive timeout closes the idle connection
        });
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8")), List.of(), host -> {
            if (!host.equals(NAME)) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });
        client = new UpstreamClient(guard, ParentProxies.NONE, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2), 25);
        try (origin) {
            RequestTarget target = RequestTarget.of("http://" + NAME + ":" + origin.socket.getLocalPort() + "/order");
            assertEquals("ok from 127.0.0.1", body(new UpstreamRequest("GET", target, List.of(), null, -1)));
            Thread.sleep(300); // idle: the connection is in the pool, closed at the origin's end
            byte[] form = "buy=1".getBytes(StandardCharsets.ISO_8859_1);
            assertEquals("ok from 127.0.0.1", body(new UpstreamRequest("POST", target, List.of(), new ByteArrayInputStream(form), form.length)));
            assertEquals(2, origin.connections.get());
        }
    }
}
