package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a branch-office Gatehouse spreads requests and tunnels over two parents ({@code forwarding.parent.selection}):
 * each in turn ({@code round-robin}), or one per client address ({@code client-hash}), the other taking over when the
 * chosen one is down. The parents are raw sockets that answer with their own name and count what they saw; parent A
 * is configured as {@code 127.0.0.1}, parent B as {@code localhost}, so the audit records tell them apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParentSelectionIT {
    private RawOrigin parentA;
    private RawOrigin parentB;
    private GatehouseFixture child;

    @AfterEach
    void stop() throws IOException {
        if (child != null) child.close();
        if (parentA != null) parentA.close();
        if (parentB != null) parentB.close();
    }

    /**
     * A parent that answers each request with its {@code name} as the body (or, to CONNECT, opens the tunnel and sends
     * its name through it), one request per connection, and posts each request line.
     */
    private static RawOrigin namedParent(String name) throws IOException {
        return new RawOrigin((s, i, o) -> {
            List<String> head = RawOrigin.readHead(s.getInputStream());
            if (head == null) return;
            o.post(head.getFirst());
            if (head.getFirst().startsWith("CONNECT ")) {
                RawOrigin.write(s, "HTTP/1.1 200 Connection established\r\n\r\n" + name);
            } else {
                RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: " + name.length()
                        + "\r\nConnection: close\r\n\r\n" + name);
            }
        });
    }

    /** The child, with {@code parents} ({@code host:port}) in that order and {@code selection}. */
    private static GatehouseFixture child(String selection, String... parents) {
        return GatehouseFixture.start(c -> {
            ObjectNode p = c.withObject("/forwarding").put("via", "branch").put("connectTimeout", "2s").putObject("parent");
            p.put("selection", selection);
            var proxies = p.putArray("proxies");
            for (String parent : parents) proxies.add(parent);
        });
    }

    /** Parents A and B up, and the child with both in that order and {@code selection}. */
    private void startBothParentsAndTheChild(String selection) throws IOException {
        parentA = namedParent("A");
        parentB = namedParent("B");
        child = child(selection, a(), b());
    }

    private String a() {
        return "127.0.0.1:" + parentA.port();
    }

    private String b() {
        return "localhost:" + parentB.port();
    }

    /** GET {@code url} through the child from {@code client} (a loopback address): the body, which names the parent. */
    private String get(InetAddress client, String url) throws IOException {
        try (RawConnection c = connect(client)) {
            c.send("GET " + url + " HTTP/1.1\r\nHost: origin.example\r\nConnection: close\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status(), r.text());
            return r.text();
        }
    }

    /** CONNECT through the child: the first bytes through the tunnel, which name the parent that opened it. */
    private String tunnel(InetAddress client, String authority) throws IOException {
        try (RawConnection c = connect(client)) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            return new String(c.input().readNBytes(1), StandardCharsets.US_ASCII);
        }
    }

    private RawConnection connect(InetAddress client) throws IOException {
        return new RawConnection(new Socket(child.proxyAddress().getAddress(), child.proxyAddress().getPort(), client, 0));
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    /** How many requests {@code parent} saw (each on its own connection). */
    private static int seen(RawOrigin parent) {
        return parent.events().size();
    }

    /** The child's records by URL ({@code host:port} for a tunnel), as {@code hierarchy/upstream}. */
    private Map<String, String> hierarchies(int n) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode r : child.awaitRecords(n)) out.put(r.get("url").asText(), r.get("hierarchy").asText() + "/" + r.get("upstream").asText());
        return out;
    }

    @Test
    void roundRobinSendsRequestsAndTunnelsToEachParentInTurn() throws Exception {
        startBothParentsAndTheChild("round-robin");
        InetAddress client = loopback(1);

        // Plain requests and tunnels take turns from one counter: one ordering decides both.
        assertEquals("A", get(client, "http://origin.example/1"));
        assertEquals("B", tunnel(client, "one.example:443"));
        assertEquals("A", get(client, "http://origin.example/2"));
        assertEquals("B", tunnel(client, "two.example:443"));
        assertEquals("A", get(client, "http://origin.example/3"));
        assertEquals("B", get(client, "http://origin.example/4"));

        assertEquals(3, seen(parentA));
        assertEquals(3, seen(parentB));
        Map<String, String> records = hierarchies(6);
        assertEquals("ROUNDROBIN_PARENT/127.0.0.1", records.get("http://origin.example/1"));
        assertEquals("ROUNDROBIN_PARENT/localhost", records.get("one.example:443"));
        assertEquals("ROUNDROBIN_PARENT/127.0.0.1", records.get("http://origin.example/2"));
        assertEquals("ROUNDROBIN_PARENT/localhost", records.get("two.example:443"));
        assertEquals("ROUNDROBIN_PARENT/127.0.0.1", records.get("http://origin.example/3"));
        assertEquals("ROUNDROBIN_PARENT/localhost", records.get("http://origin.example/4"));
    }

    @Test
    void roundRobinSpreadsFourRequestsTwoToEachParent() throws Exception {
        startBothParentsAndTheChild("round-robin");

        for (int i = 1; i <= 4; i++) get(loopback(1), "http://origin.example/" + i);

        assertEquals(2, seen(parentA));
        assertEquals(2, seen(parentB));
        assertEquals("GET http://origin.example/1 HTTP/1.1", parentA.nextEvent());
        assertEquals("GET http://origin.example/3 HTTP/1.1", parentA.nextEvent());
        assertEquals("GET http://origin.example/2 HTTP/1.1", parentB.nextEvent());
        assertEquals("GET http://origin.example/4 HTTP/1.1", parentB.nextEvent());
    }

    @Test
    void clientHashSendsEveryRequestOfOneClientToOneParentAndSpreadsClientsOverBoth() throws Exception {
        startBothParentsAndTheChild("client-hash");

        Map<Integer, String> parentOf = new HashMap<>();
        for (int client = 1; client <= 8; client++) {
            String first = get(loopback(client), "http://origin.example/" + client + "/1");
            parentOf.put(client, first);
            for (int i = 2; i <= 3; i++) {
                assertEquals(first, get(loopback(client), "http://origin.example/" + client + "/" + i), "client 127.0.0." + client);
            }
            assertEquals(first, tunnel(loopback(client), "c" + client + ".example:443"), "a tunnel too, client 127.0.0." + client);
        }
        assertEquals(Set.of("A", "B"), new HashSet<>(parentOf.values()), "eight clients over both parents: " + parentOf);
        assertEquals(32, seen(parentA) + seen(parentB));

        Map<String, String> records = hierarchies(32);
        for (int client = 1; client <= 8; client++) {
            String upstream = parentOf.get(client).equals("A") ? "127.0.0.1" : "localhost";
            assertEquals("SOURCEHASH_PARENT/" + upstream, records.get("http://origin.example/" + client + "/2"));
            assertEquals("SOURCEHASH_PARENT/" + upstream, records.get("c" + client + ".example:443"));
        }
    }

    @Test
    void clientHashIsTheSameAfterARestart() throws Exception {
        startBothParentsAndTheChild("client-hash");
        Map<Integer, String> before = new HashMap<>();
        for (int client = 1; client <= 6; client++) before.put(client, get(loopback(client), "http://origin.example/"));
        assertEquals(Set.of("A", "B"), new HashSet<>(before.values()), "six clients over both parents: " + before);
        child.close();

        child = child("client-hash", a(), b());
        for (int client = 1; client <= 6; client++) {
            assertEquals(before.get(client), get(loopback(client), "http://origin.example/"), "client 127.0.0." + client);
        }
    }

    @Test
    void whenTheParentRoundRobinChoseIsDownTheOtherAnswersAndIsThenChosenAlone() throws Exception {
        parentB = namedParent("B");
        child = child("round-robin", "127.0.0.1:" + closedPort(), b());

        assertEquals("B", get(loopback(1), "http://origin.example/1"), "A refused: B took over");
        assertEquals("B", get(loopback(1), "http://origin.example/2"), "A passed over: B is the only one up");
        assertEquals("B", tunnel(loopback(1), "t.example:443"));

        Map<String, String> records = hierarchies(3);
        assertEquals("ANY_OLD_PARENT/localhost", records.get("http://origin.example/1"), "not the chosen parent");
        assertEquals("ROUNDROBIN_PARENT/localhost", records.get("http://origin.example/2"));
        assertEquals("ROUNDROBIN_PARENT/localhost", records.get("t.example:443"));
    }

    @Test
    void whenAClientsParentIsDownUnderClientHashTheOtherAnswers() throws Exception {
        startBothParentsAndTheChild("client-hash");
        Map<Integer, String> parentOf = new HashMap<>();
        for (int client = 1; client <= 8; client++) parentOf.put(client, get(loopback(client), "http://origin.example/"));
        int onA = parentOf.entrySet().stream().filter(e -> e.getValue().equals("A")).findFirst().orElseThrow().getKey();

        int portA = parentA.port();
        parentA.close();
        awaitRefused(portA);
        assertEquals("B", get(loopback(onA), "http://origin.example/down/1"), "A is down: its client goes to B");
        assertEquals("B", tunnel(loopback(onA), "down.example:443"));
        JsonNode failover = child.awaitRecord(r -> r.get("url").asText().endsWith("/down/1"));
        assertEquals("ANY_OLD_PARENT", failover.get("hierarchy").asText());
        assertEquals("localhost", failover.get("upstream").asText());
        for (int client = 1; client <= 8; client++) {
            if (parentOf.get(client).equals("B")) assertEquals("B", get(loopback(client), "http://origin.example/"), "B's clients stay");
        }
        assertTrue(seen(parentB) >= 2);
    }

    /**
     * Waits (bounded) until connecting to {@code port} is refused: a listening socket closed while its acceptor
     * thread is blocked in accept can take a moment to leave LISTEN, and a connection it still accepted would be
     * closed unanswered (a 502, not a failover, which is what this test is about).
     */
    private static void awaitRefused(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1000);
            } catch (IOException notAccepting) {
                return; // refused, or reset while the socket leaves LISTEN: either way no longer accepting
            }
            Thread.sleep(20);
        }
        throw new AssertionError("port " + port + " still accepts connections after its parent was closed");
    }

    /** A port nothing listens on: bound, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
