package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xnio.conduits.StreamSourceConduit;

/**
 * What Undertow's parser gets from the connection tap: the {@code Host} field of an absolute-form request
 * rewritten in place to name the target's host (RFC 9112 §3.2.2), whatever the reads cut, and the client's
 * own byte count.
 */
class ConnectionTapTest {
    private static final String TARGET = "GET http://127.0.0.1:8080/x HTTP/1.1\r\n";

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("the target's authority, as clients send it", TARGET + "Host: 127.0.0.1:8080\r\n\r\n", TARGET + "Host: 127.0.0.1:8080\r\n\r\n"),
                Arguments.of("the target's host without its port", TARGET + "Host: 127.0.0.1\r\n\r\n", TARGET + "Host: 127.0.0.1\r\n\r\n"),
                Arguments.of("the target's host with another port: Undertow accepts it",
                        "GET http://example.com/ HTTP/1.1\r\nHost: example.com:80\r\n\r\n", "GET http://example.com/ HTTP/1.1\r\nHost: example.com:80\r\n\r\n"),
                Arguments.of("another host, longer", TARGET + "Host: other.example\r\n\r\n", TARGET + "Host: 127.0.0.1    \r\n\r\n"),
                Arguments.of("another host with a port, which stays for Undertow to check",
                        TARGET + "Host: other.example:8080\r\n\r\n", TARGET + "Host: 127.0.0.1:8080    \r\n\r\n"),
                Arguments.of("another host, shorter: a prefix of the target's", TARGET + "Host: a.b\r\n\r\n", TARGET + "Host: 127\r\n\r\n"),
                Arguments.of("a one-letter host", TARGET + "Host: o:1\r\n\r\n", TARGET + "Host: 1:1\r\n\r\n"),
                Arguments.of("the host in another case (Undertow compares case-sensitively)",
                        "GET http://Example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n", "GET http://Example.com/ HTTP/1.1\r\nHost: Example.com\r\n\r\n"),
                Arguments.of("OWS around the value, field name in lower case", TARGET + "host:\tother.example \r\n\r\n", TARGET + "host:\t127.0.0.1     \r\n\r\n"),
                Arguments.of("among other fields", TARGET + "Accept: */*\r\nHost: other.example\r\nX-Host: a\r\n\r\n",
                        TARGET + "Accept: */*\r\nHost: 127.0.0.1    \r\nX-Host: a\r\n\r\n"),
                Arguments.of("an IPv6 target", "GET http://[::1]:8080/ HTTP/1.1\r\nHost: localhost:8080\r\n\r\n",
                        "GET http://[::1]:8080/ HTTP/1.1\r\nHost: [::1]:8080    \r\n\r\n"),
                Arguments.of("an IPv6 target and a value too short for it: stays a 400",
                        "GET http://[::1]:8080/ HTTP/1.1\r\nHost: a\r\n\r\n", "GET http://[::1]:8080/ HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("an IPv6 value for an IPv4 target", TARGET + "Host: [::2]:8080\r\n\r\n", TARGET + "Host: 127.0:8080\r\n\r\n"),
                Arguments.of("a prefix does not cut a percent-encoded octet",
                        "GET http://a%41b.example/ HTTP/1.1\r\nHost: xyz\r\n\r\n", "GET http://a%41b.example/ HTTP/1.1\r\nHost: a  \r\n\r\n"),
                Arguments.of("user info is taken out of the target first", "GET ftp://u:p@127.0.0.1/f HTTP/1.1\r\nHost: other\r\n\r\n",
                        "GET ftp://127.0.0.1/f HTTP/1.1\r\nHost: 127.0\r\n\r\n"),
                Arguments.of("two Host fields: both rewritten, still two for Undertow to refuse (RFC 9112 §3.2)",
                        TARGET + "Host: other.example\r\nHost: 127.0.0.1:8080\r\n\r\n", TARGET + "Host: 127.0.0.1    \r\nHost: 127.0.0.1:8080\r\n\r\n"),
                Arguments.of("an empty value: no room, stays a 400", TARGET + "Host: \r\n\r\n", TARGET + "Host: \r\n\r\n"),
                Arguments.of("no value at all", TARGET + "Host:\r\n\r\n", TARGET + "Host:\r\n\r\n"),
                Arguments.of("an invalid value: stays a 400 (RFC 9112 §3.2)", TARGET + "Host: a b\r\n\r\n", TARGET + "Host: a b\r\n\r\n"),
                Arguments.of("origin-form: Host is the target", "GET /x HTTP/1.1\r\nHost: other.example\r\n\r\n", "GET /x HTTP/1.1\r\nHost: other.example\r\n\r\n"),
                Arguments.of("CONNECT: authority-form", "CONNECT other:443 HTTP/1.1\r\nHost: another\r\n\r\n", "CONNECT other:443 HTTP/1.1\r\nHost: another\r\n\r\n"),
                Arguments.of("HTTP/1.0 without Host", "GET http://127.0.0.1:8080/x HTTP/1.0\r\n\r\n", "GET http://127.0.0.1:8080/x HTTP/1.0\r\n\r\n"),
                Arguments.of("a field whose name only starts like Host", TARGET + "Hostname: other\r\nHost: 127.0.0.1\r\n\r\n",
                        TARGET + "Hostname: other\r\nHost: 127.0.0.1\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void theParserGetsAHostNamingTheTarget(String name, String sent, String parsed) throws IOException {
        assertEquals(parsed, parse(sent));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void whereverTheReadsCutTheHeadTheParserGetsTheSame(String name, String sent, String parsed) throws IOException {
        for (int cut = 1; cut < sent.length(); cut++) {
            assertEquals(parsed, parse(sent.substring(0, cut), sent.substring(cut)), "cut at " + cut);
        }
    }

    @Test
    void aHostLineInThreeReadsIsRewrittenWhole() throws IOException {
        assertEquals(TARGET + "Host: 127.0.0.1    \r\n\r\n", parse(TARGET + "Ho", "st: other", ".example\r\n\r\n"));
    }

    @Test
    void theByteCountIsTheClientsWhateverIsHeldBack() throws IOException {
        String[] reads = {TARGET + "Ho", "st: other.exa", "mple\r\n\r\n"};
        ConnectionTap tap = new ConnectionTap(null, u -> {}, null, null);
        parse(tap, reads);
        assertEquals(String.join("", reads).length(), tap.sinceLastBoundary()[0]);
    }

    private static String parse(String... reads) throws IOException {
        return parse(new ConnectionTap(null, u -> {}, null, null), reads);
    }

    /** Reads through the tap as Undertow does, into an emptied buffer each time, and returns what it got. */
    private static String parse(ConnectionTap tap, String... reads) throws IOException {
        StreamSourceConduit source = tap.source(client(reads));
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        ByteArrayOutputStream parser = new ByteArrayOutputStream();
        for (int n; (n = source.read(buffer)) >= 0; buffer.clear()) {
            parser.write(buffer.array(), 0, n);
        }
        return parser.toString(StandardCharsets.ISO_8859_1);
    }

    /** A connection that delivers {@code reads} one per read, then its end. */
    private static StreamSourceConduit client(String... reads) {
        Deque<byte[]> pending = new ArrayDeque<>(Arrays.stream(reads).map(r -> r.getBytes(StandardCharsets.ISO_8859_1)).toList());
        return (StreamSourceConduit) Proxy.newProxyInstance(ConnectionTapTest.class.getClassLoader(), new Class<?>[] {StreamSourceConduit.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("read") || args.length != 1) throw new UnsupportedOperationException(method.getName());
                    byte[] next = pending.poll();
                    if (next == null) return -1;
                    ((ByteBuffer) args[0]).put(next);
                    return next.length;
                });
    }
}
