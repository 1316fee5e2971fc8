package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A parent proxy that accepts a connection and closes it without a byte of answer: a request that may be repeated
 * goes on to the next parent, as Squid retries the next destination (RFC 9110 §9.2.2); one with a body does not, and
 * {@code forwarding.maxTries} bounds how many parents one request tries. The parents are raw sockets: the one that
 * answers names itself in the body; each counts its connections. Parents configured as {@code 127.0.0.1} and
 * {@code localhost} are told apart in the audit records.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForwardRetryIT {
    private final List<RawOrigin> parents = new ArrayList<>();
    private GatehouseFixture child;

    @AfterEach
    void stop() throws IOException {
        if (child != null) child.close();
        for (RawOrigin p : parents) p.close();
    }

    /** A parent that reads the request head and closes the connection without answering. */
    private RawOrigin closingParent() throws IOException {
        RawOrigin p = new RawOrigin((s, i, o) -> {
            List<String> head = RawOrigin.readHead(s.getInputStream());
            o.post(head == null ? "nothing" : head.getFirst());
        });
        parents.add(p);
        return p;
    }

    /** A parent that answers each request (or CONNECT) with {@code name}, one per connection. */
    private RawOrigin namedParent(String name) throws IOException {
        RawOrigin p = new RawOrigin((s, i, o) -> {
            List<String> head = RawOrigin.readHead(s.getInputStream());
            if (head == null) return;
            o.post(head.getFirst());
            if (head.getFirst().startsWith("CONNECT ")) {
                RawOrigin.write(s, "HTTP/1.1 200 Connection established\r\n\r\n" + name);
                return;
            }
            RawOrigin.readBody(s.getInputStream(), head);
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: " + name.length()
                    + "\r\nConnection: close\r\n\r\n" + name);
        });
        parents.add(p);
        return p;
    }

    /** The child with {@code proxies} in that order, ordered selection, and {@code maxTries} (0: the default). */
    private static GatehouseFixture child(int maxTries, String... proxies) {
        return GatehouseFixture.start(c -> {
            ObjectNode f = c.withObject("/forwarding").put("via", "branch");
            if (maxTries > 0) f.put("maxTries", maxTries);
            var list = f.putObject("parent").putArray("proxies");
            for (String p : proxies) list.add(p);
        });
    }

    private RawConnection.Response send(String request) throws IOException {
        return RawConnection.roundTrip(child.proxyAddress(), request);
    }

    @Test
    void aGetGoesToTheSecondParentWhenTheFirstClosesWithoutAByte() throws Exception {
        RawOrigin first = closingParent();
        RawOrigin second = namedParent("second");
        child = child(0, "127.0.0.1:" + first.port(), "localhost:" + second.port());

        RawConnection.Response r = send("GET http://origin.example/a HTTP/1.1\r\nHost: origin.example\r\nConnection: close\r\n\r\n");

        assertEquals(200, r.status(), r.text());
        assertEquals("second", r.text());
        assertEquals("GET http://origin.example/a HTTP/1.1", first.nextEvent(), "the first took the request and closed");
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("ANY_OLD_PARENT", record.get("hierarchy").asText(), "the first-up parent did not answer: " + record);
        assertEquals("localhost", record.get("upstream").asText(), record::toString);
        assertTrue(record.get("error").isNull(), record::toString);

        // The first is now passed over, as one that refuses: the second is the first up, and is asked alone.
        assertEquals("second", send("GET http://origin.example/b HTTP/1.1\r\nHost: origin.example\r\nConnection: close\r\n\r\n").text());
        assertEquals(1, first.connections());
        JsonNode next = child.awaitRecord(rec -> rec.get("url").asText().endsWith("/b"));
        assertEquals("FIRSTUP_PARENT", next.get("hierarchy").asText(), next::toString);
    }

    @Test
    void aPostWithABodyIsNotSentAgainWhenTheFirstParentClosesWithoutAByte() throws Exception {
        RawOrigin first = closingParent();
        RawOrigin second = namedParent("second");
        child = child(0, "127.0.0.1:" + first.port(), "localhost:" + second.port());

        RawConnection.Response r = send("POST http://origin.example/form HTTP/1.1\r\nHost: origin.example\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");

        assertEquals(502, r.status(), r.text());
        assertEquals("POST http://origin.example/form HTTP/1.1", first.nextEvent());
        assertEquals(0, second.connections(), "a body is never sent twice");
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("upstream_closed", record.get("error").asText(), record::toString);
        assertEquals("FIRSTUP_PARENT/127.0.0.1", record.get("hierarchy").asText() + "/" + record.get("upstream").asText());
    }

    @Test
    void maxTriesBoundsTheParentsOneRequestTries() throws Exception {
        RawOrigin one = closingParent();
        RawOrigin two = closingParent();
        RawOrigin three = closingParent();
        child = child(2, "127.0.0.1:" + one.port(), "127.0.0.1:" + two.port(), "127.0.0.1:" + three.port());

        RawConnection.Response r = send("GET http://origin.example/c HTTP/1.1\r\nHost: origin.example\r\nConnection: close\r\n\r\n");

        assertEquals(502, r.status(), r.text());
        assertEquals(1, one.connections());
        assertEquals(1, two.connections());
        assertEquals(0, three.connections(), "two tries, then the request fails");
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("upstream_closed", record.get("error").asText(), record::toString);
        assertEquals("ANY_OLD_PARENT", record.get("hierarchy").asText(), "the second parent tried closed last: " + record);
    }

    @Test
    void aConnectGoesToTheSecondParentWhenTheFirstClosesWithoutAnswering() throws Exception {
        RawOrigin first = closingParent();
        RawOrigin second = namedParent("B");
        child = child(0, "127.0.0.1:" + first.port(), "localhost:" + second.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT secure.example:443 HTTP/1.1\r\nHost: secure.example:443\r\n\r\n");
            assertEquals(200, c.readHead().status());
            assertEquals("B", new String(c.input().readNBytes(1), StandardCharsets.US_ASCII));
        }
        assertEquals("CONNECT secure.example:443 HTTP/1.1", first.nextEvent());
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("ANY_OLD_PARENT/localhost", record.get("hierarchy").asText() + "/" + record.get("upstream").asText(),
                record::toString);
    }
}
