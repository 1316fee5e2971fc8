package dev.gatehouse.tunnel;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.ParentProxies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.Buffers;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * Asks a parent proxy to open the tunnel: sends {@code CONNECT host:port} (RFC 9110 §9.3.6) on a connection
 * to the parent and reads its answer's head, without blocking the IO thread the connection lives on, within
 * {@link ConnectReply#MAX_HEAD_BYTES} and a time limit. Interim (1xx) answers are skipped. A 2xx hands the
 * connection on; any bytes the parent sent after its head belong to the tunnel and are pushed back to be read first. Anything else closes it: a
 * 407 means the parent refused this proxy's credentials (never passed on: the browser would offer its user's
 * password to the parent), another status that the parent refused the tunnel.
 */
final class ParentConnect {
    /** The most interim responses skipped before the final answer, as {@code UpstreamClient} allows. */
    private static final int MAX_INTERIM = 16;

    /** How the handshake ends; called once, on the connection's IO thread, unless it was called off ({@link PendingUpstream}). */
    interface Outcome {
        void established(StreamConnection upstream);

        /**
         * @param unanswered the parent closed or reset the connection before a single byte of answer: it never took
         *                   the CONNECT up, and another parent may be asked
         */
        void failed(FailureException failure, boolean unanswered);
    }

    private final StreamConnection upstream;
    private final ParentProxies.Parent parent;
    private final Outcome outcome;
    private final ByteBuffer request;
    private final byte[] head = new byte[ConnectReply.MAX_HEAD_BYTES];
    private int headLength;
    /** Interim responses skipped so far; a parent that sends nothing else is cut off after a few. */
    private int interims;
    /** Whether the parent sent any byte: once it did, it answered, and a close is its answer's failure. */
    private boolean heard;
    private XnioExecutor.Key timer;
    private boolean done;

    private ParentConnect(StreamConnection upstream, ParentProxies.Parent parent, ByteBuffer request, Outcome outcome) {
        this.upstream = upstream;
        this.parent = parent;
        this.request = request;
        this.outcome = outcome;
    }

    /** Starts the handshake; call it on {@code upstream}'s IO thread. {@code pending} calls it off (no outcome then). */
    static void start(StreamConnection upstream, ParentProxies.Parent parent, TunnelTarget target, String proxyAuthorization,
                      Duration timeout, PendingUpstream pending, Outcome outcome) {
        ParentConnect c = new ParentConnect(upstream, parent, request(target, proxyAuthorization), outcome);
        c.timer = upstream.getIoThread().executeAfter(() -> c.fail(Failure.UPSTREAM_TIMEOUT,
                "parent proxy " + parent + " did not answer CONNECT within " + timeout.toMillis() + " ms"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.onCancel(c::cancel);
        c.write();
    }

    /** Called off (the client left): the parent connection is closed now, whatever the parent answers later. */
    private void cancel() {
        if (done) return;
        finish();
        IoUtils.safeClose(upstream);
    }

    /** The request head: authority-form target, {@code Host} (RFC 9112 §3.2), and the parent's credentials. */
    static ByteBuffer request(TunnelTarget target, String proxyAuthorization) {
        String authority = (target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host()) + ":" + target.port();
        StringBuilder s = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        if (proxyAuthorization != null) s.append("Proxy-Authorization: ").append(proxyAuthorization).append("\r\n");
        return ByteBuffer.wrap(s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private void write() {
        StreamSinkChannel sink = upstream.getSinkChannel();
        try {
            sink.write(request);
            if (request.hasRemaining() || !sink.flush()) {
                sink.getWriteSetter().set((ChannelListener<StreamSinkChannel>) ch -> write());
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
            sink.getWriteSetter().set(null);
        } catch (IOException e) {
            fail(Failure.UPSTREAM_CLOSED, "parent proxy " + parent + " closed the connection: " + e.getMessage());
            return;
        }
        StreamSourceChannel source = upstream.getSourceChannel();
        source.getReadSetter().set((ChannelListener<StreamSourceChannel>) ch -> read());
        source.resumeReads();
    }

    private void read() {
        if (done) return;
        StreamSourceChannel source = upstream.getSourceChannel();
        try {
            while (true) {
                int n = source.read(ByteBuffer.wrap(head, headLength, head.length - headLength));
                if (n == 0) return;
                if (n < 0) {
                    fail(Failure.UPSTREAM_CLOSED, "parent proxy " + parent + " closed the connection without answering CONNECT");
                    return;
                }
                heard = true;
                headLength += n;
                ConnectReply reply = ConnectReply.parse(head, headLength);
                // RFC 9110 §15.2: interim responses may come first, expected or not; the final one follows them.
                while (reply != null && reply.interim() && ++interims <= MAX_INTERIM) {
                    headLength -= reply.headLength();
                    System.arraycopy(head, reply.headLength(), head, 0, headLength);
                    reply = ConnectReply.parse(head, headLength);
                }
                if (reply != null) {
                    answered(reply);
                    return;
                }
            }
        } catch (ConnectReply.MalformedReplyException e) {
            fail(Failure.MALFORMED_RESPONSE, "parent proxy " + parent + " answered CONNECT with " + e.getMessage());
        } catch (IOException e) {
            fail(Failure.UPSTREAM_CLOSED, "parent proxy " + parent + " closed the connection: " + e.getMessage());
        }
    }

    private void answered(ConnectReply reply) {
        if (reply.status() == 407) {
            fail(Failure.PARENT_AUTH_FAILED, "parent proxy " + parent + " answered CONNECT with 407 " + reply.reason()
                    + ": it refused this proxy's credentials (forwarding.parent.user)");
            return;
        }
        if (reply.status() < 200 || reply.status() > 299) {
            fail(Failure.PARENT_REFUSED, "parent proxy " + parent + " answered CONNECT with " + reply.status() + " " + reply.reason());
            return;
        }
        finish();
        StreamSourceChannel source = upstream.getSourceChannel();
        source.suspendReads();
        source.getReadSetter().set(null);
        int extra = headLength - reply.headLength();
        if (extra > 0) {
            // The tunnel's first bytes came with the head (a server that speaks first): read before the socket's.
            ConduitStreamSourceChannel channel = (ConduitStreamSourceChannel) source;
            PushBackStreamSourceConduit pushBack = new PushBackStreamSourceConduit(channel.getConduit());
            pushBack.pushBack(Buffers.pooledWrapper(ByteBuffer.wrap(head, reply.headLength(), extra).slice()));
            channel.setConduit(pushBack);
        }
        outcome.established(upstream);
    }

    private void fail(Failure failure, String detail) {
        if (done) return;
        finish();
        IoUtils.safeClose(upstream);
        // A close or reset before any byte (also while the CONNECT was written); never a timeout, as for requests.
        boolean unanswered = failure == Failure.UPSTREAM_CLOSED && !heard;
        outcome.failed(new FailureException(failure, detail, null, parent.host()), unanswered);
    }

    private void finish() {
        done = true;
        if (timer != null) timer.remove();
    }
}
