package dev.gatehouse.listener;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSourceChannel;

/**
 * Notices a CONNECT client that leaves while its tunnel's upstream side is being opened. Undertow reads nothing from
 * a connection while its exchange runs, so without this a client's close goes unseen until the 200 is written to no
 * one, and a tunnel is spliced to a client that is gone.
 *
 * <p>The client's end of stream counts as leaving only while it has sent nothing after the CONNECT head, as Squid
 * treats a half-close by default ({@code half_closed_clients off}); a client that sent its first bytes and then its
 * FIN ({@code printf ... | nc -N}) has finished talking, not left, and still gets its tunnel. Bytes that arrive while
 * watched are the tunnel's first: they are kept with the parser's read-ahead, which the tunnel relays first, and the
 * watch ends there.
 */
final class ClientWatch {
    private final HttpServerConnection connection;
    private final Runnable onLeft;
    private boolean stopped;

    private ClientWatch(HttpServerConnection connection, Runnable onLeft) {
        this.connection = connection;
        this.onLeft = onLeft;
    }

    /** Starts watching, on the exchange's IO thread; {@code onLeft} runs there, once, if the client leaves before {@link #stop}. */
    static ClientWatch start(HttpServerExchange exchange, Runnable onLeft) {
        HttpServerConnection connection = exchange.getConnection() instanceof HttpServerConnection c ? c : null;
        ClientWatch watch = new ClientWatch(connection, onLeft);
        if (connection == null || connection.getExtraBytes() != null) {
            watch.stopped = true; // the client is already talking through the tunnel-to-be
            return watch;
        }
        StreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.getReadSetter().set((ChannelListener<StreamSourceChannel>) ch -> watch.read(ch));
        source.resumeReads();
        return watch;
    }

    /** Stops watching: the upstream side is open, or failed; the tunnel or the error page takes over. */
    void stop() {
        if (stopped) return;
        stopped = true;
        StreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.suspendReads();
        source.getReadSetter().set(null);
    }

    private void read(StreamSourceChannel source) {
        if (stopped) return;
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        boolean kept = false;
        try {
            int n = source.read(pooled.getBuffer());
            if (n == 0) return;
            stop();
            if (n > 0) {
                pooled.getBuffer().flip();
                connection.setExtraBytes(pooled);
                kept = true;
                return;
            }
            onLeft.run();
        } catch (IOException e) {
            stop();
            onLeft.run(); // a reset
        } finally {
            if (!kept) pooled.close();
        }
    }
}
