package dev.gatehouse.listener;

import dev.gatehouse.upstream.InterimResponse;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.xnio.IoUtils;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Passes the origin's interim responses ({@code 103 Early Hints}, {@code 102 Processing}, …) on to the client ahead
 * of the final one, as RFC 9110 §15.2 requires of a proxy: each with the final response's field rules (hop-by-hop
 * fields removed, §7.6.1; {@code Via} added, §7.6.3), and only
 * <ul>
 *   <li>to an HTTP/1.1 client: a server must not send a 1xx to an HTTP/1.0 one (§15.2);</li>
 *   <li>while the final response has not started;</li>
 *   <li>not a {@code 100 Continue}: the proxy answers {@code Expect: 100-continue} itself when it first reads the
 *       body (Undertow's {@code HttpContinueReadHandler}, before the request goes upstream), so the origin's would
 *       be a second one; a {@code 101} never gets here (the upstream client refuses it, as no {@code Upgrade} is
 *       forwarded);</li>
 *   <li>on the live forwarded path: a miss, or a request the cache does not take. Not for the cache's revalidation
 *       of a stored response (its conditional request is the cache's, and a 304 is answered from the store) nor its
 *       background fetches, and a collapsed follower or a hit gets none: interim responses are never stored (RFC 9111
 *       §3 stores final responses only).</li>
 * </ul>
 *
 * <p>Undertow (2.4) has no interim response but its own {@code 100 Continue}
 * ({@code sendOutOfBandResponse} refuses anything else), so the head is written, in full, straight to the
 * connection's sink beneath the response conduit (above TLS, through the {@link ConnectionTap}, which counts the
 * bytes) before the response conduit has written anything. This runs on the forwarding (virtual) thread, which
 * may block until the client takes the bytes; never on an IO thread. A client that is gone ends the relaying: the
 * connection is closed and the exchange goes on to the usual client-abort end when the final response is written.
 */
final class InterimRelay implements InterimResponse.Listener {
    /** How the origin's fields become the client's: the final response's own rules. */
    @FunctionalInterface
    interface FieldCopy {
        void copy(Map<String, List<String>> from, int httpMinor, HeaderMap to);
    }

    private final HttpServerExchange exchange;
    private final StreamSinkConduit sink;
    private final FieldCopy fields;
    private boolean clientGone;

    private InterimRelay(HttpServerExchange exchange, StreamSinkConduit sink, FieldCopy fields) {
        this.exchange = exchange;
        this.sink = sink;
        this.fields = fields;
    }

    /** The listener for one upstream request of {@code exchange}: this relay, or one that drops them where none may go. */
    static InterimResponse.Listener forExchange(HttpServerExchange exchange, CacheFill fill, FieldCopy fields) {
        if (!Protocols.HTTP_1_1.equals(exchange.getProtocol())) return InterimResponse.Listener.IGNORE;
        if (fill != null && fill.revalidates()) return InterimResponse.Listener.IGNORE;
        if (exchange.isInIoThread()) return InterimResponse.Listener.IGNORE; // the writes below block
        if (!(exchange.getConnection() instanceof AbstractServerConnection connection)) return InterimResponse.Listener.IGNORE;
        return new InterimRelay(exchange, connection.getOriginalSinkConduit(), fields);
    }

    @Override
    public void received(InterimResponse response) {
        int status = response.status();
        if (status == 100 || status == 101 || clientGone || exchange.isResponseStarted()) return;
        HeaderMap out = new HeaderMap();
        fields.copy(response.headers(), response.httpMinor(), out);
        try {
            write(ByteBuffer.wrap(head(status, response.reason(), out)));
        } catch (IOException e) {
            clientGone = true;
            Exchanges.record(exchange).markAborted("client_aborted");
            // Whatever part of the head went out leaves the connection unusable; the final response's write fails next.
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** The status line and header section, as RFC 9112 §4 and §5 frame them. */
    static byte[] head(int status, String reason, HeaderMap fields) {
        StringBuilder s = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (HeaderValues values : fields) {
            for (String value : values) s.append(values.getHeaderName()).append(": ").append(value).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes all of {@code bytes} and flushes them, waiting for the client to take them (a partial write goes on). */
    private void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            if (sink.write(bytes) == 0) sink.awaitWritable();
        }
        while (!sink.flush()) sink.awaitWritable();
    }
}
