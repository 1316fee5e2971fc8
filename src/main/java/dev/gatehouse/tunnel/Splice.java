package dev.gatehouse.tunnel;

import dev.gatehouse.bandwidth.BandwidthLimiter;
import dev.gatehouse.bandwidth.BandwidthLimits;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * Relays bytes both ways between a client and an upstream connection, without a thread per tunnel:
 * each direction is a {@link Pump} driven by XNIO readiness events on the connections' IO thread.
 * Backpressure: a pump stops reading while its sink cannot take more. End of stream on one side
 * half-closes the other (shutdown of writes), so protocols that half-close keep working; the tunnel
 * ends when both directions have ended, on any error, or after {@code idleTimeout} without traffic.
 * With bandwidth limits, each direction reads no more than the client's buckets for that direction allow (the
 * download buckets upstream to client, as Squid's delay pools; the upload buckets client to upstream, as its
 * client delay pools), and while they are empty its reads are suspended and resumed by an IO thread timer when
 * they will have refilled: the pump never sleeps.
 */
public final class Splice implements TunnelRegistry.Tunnel {
    private final StreamConnection client;
    private final StreamConnection upstream;
    private final Pump clientToUpstream;
    private final Pump upstreamToClient;
    private final long idleNanos;
    private final Consumer<Splice> onClose;
    private volatile long lastActivity = System.nanoTime();
    private boolean closed;
    private String closeReason = "eof";
    /**
     * The pending idle check, removed when the tunnel closes: the IO thread's timer queue would otherwise
     * keep the closed tunnel (both connections, the exchange, its audit record) reachable until the check
     * fell due, {@code tunnel.idleTimeout} later, some 4 KB per tunnel: at a few hundred tunnels a second,
     * hundreds of megabytes of heap.
     */
    private XnioExecutor.Key idleCheck;

    private Splice(StreamConnection client, StreamConnection upstream, ByteBufferPool pool, Duration idleTimeout,
                   BandwidthLimits bandwidth, InetAddress clientAddress, Consumer<Splice> onClose) {
        this.client = client;
        this.upstream = upstream;
        this.idleNanos = idleTimeout.toNanos();
        this.onClose = onClose;
        this.clientToUpstream = new Pump(client.getSourceChannel(), upstream.getSinkChannel(), pool, bandwidth.upload(), clientAddress);
        this.upstreamToClient = new Pump(upstream.getSourceChannel(), client.getSinkChannel(), pool, bandwidth.download(), clientAddress);
    }

    /**
     * Starts relaying. {@code onOpen} runs first, before any byte can move (register the tunnel there);
     * {@code onClose} runs once, on the IO thread, when the tunnel is over.
     */
    public static Splice start(StreamConnection client, StreamConnection upstream, ByteBufferPool pool,
                               Duration idleTimeout, Consumer<Splice> onOpen, Consumer<Splice> onClose) {
        return start(client, upstream, pool, idleTimeout, BandwidthLimits.NONE, null, onOpen, onClose);
    }

    /**
     * As {@link #start(StreamConnection, StreamConnection, ByteBufferPool, Duration, Consumer, Consumer)},
     * each direction limited by {@code bandwidth} as {@code clientAddress}'s share (no limit where it holds null).
     */
    public static Splice start(StreamConnection client, StreamConnection upstream, ByteBufferPool pool, Duration idleTimeout,
                               BandwidthLimits bandwidth, InetAddress clientAddress, Consumer<Splice> onOpen,
                               Consumer<Splice> onClose) {
        Splice s = new Splice(client, upstream, pool, idleTimeout, bandwidth, clientAddress, onClose);
        onOpen.accept(s);
        // A connection closed before the hand-over (the client left while the upstream connect ran) would
        // never produce an event. (No close listeners: XNIO closes a connection by itself once both of its
        // directions are shut down, which is the normal end of a half-closed tunnel, not an abort.)
        if (!client.isOpen() || !upstream.isOpen()) {
            s.closeBoth("closed");
            return s;
        }
        s.clientToUpstream.start();
        s.upstreamToClient.start();
        s.scheduleIdleCheck(idleTimeout.toMillis());
        return s;
    }

    /** Bytes relayed from client to upstream. */
    public long bytesFromClient() { return clientToUpstream.bytes; }

    /** Bytes relayed from upstream to client. */
    public long bytesToClient() { return upstreamToClient.bytes; }

    /** Why the tunnel ended: {@code eof}, {@code idle_timeout}, {@code shutdown} or an error. */
    public String closeReason() { return closeReason; }

    /** Ends the tunnel now (shutdown); safe from any thread. */
    @Override
    public void close(String reason) {
        client.getIoThread().execute(() -> closeBoth(reason));
    }

    private void scheduleIdleCheck(long delayMillis) {
        idleCheck = client.getIoThread().executeAfter(() -> {
            if (closed) return;
            long idle = System.nanoTime() - lastActivity;
            if (idle >= idleNanos) closeBoth("idle_timeout");
            else scheduleIdleCheck(Math.max(1, TimeUnit.NANOSECONDS.toMillis(idleNanos - idle)));
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void directionEnded() {
        if (clientToUpstream.done && upstreamToClient.done) closeBoth("eof");
    }

    private void closeBoth(String reason) {
        if (closed) return;
        closed = true;
        closeReason = reason;
        if (idleCheck != null) idleCheck.remove();
        clientToUpstream.cancelRefill(); // as the idle check: the timer would keep the closed tunnel reachable
        upstreamToClient.cancelRefill();
        IoUtils.safeClose(client, upstream);
        clientToUpstream.release();
        upstreamToClient.release();
        onClose.accept(this);
    }

    /**
     * One direction: reads from a source into a pooled buffer and writes it to a sink. The buffer is taken
     * when bytes arrive and given back once they are all written and the source has nothing more, so an idle
     * tunnel (browsers keep many open) holds no buffer, and a busy one can use large ones: fewer reads and
     * writes per megabyte.
     */
    private final class Pump {
        private final StreamSourceChannel source;
        private final StreamSinkChannel sink;
        private final ByteBufferPool pool;
        /** The limits this direction is read under, or null (then no check at all), and whose share it is. */
        private final BandwidthLimiter bandwidth;
        private final InetAddress payer;
        /** The timer that resumes reads once the buckets have refilled, while one is pending. */
        private XnioExecutor.Key refill;
        private PooledByteBuffer buffer;
        private long bytes;
        private boolean eof;
        private boolean done;
        /** The buffer holds read bytes not yet written (it is flipped for reading). */
        private boolean pending;

        Pump(StreamSourceChannel source, StreamSinkChannel sink, ByteBufferPool pool, BandwidthLimiter bandwidth,
             InetAddress payer) {
            this.source = source;
            this.sink = sink;
            this.pool = pool;
            this.bandwidth = bandwidth;
            this.payer = payer;
        }

        /** Gives the buffer back to the pool; the pump has no unwritten bytes, or the tunnel is over. */
        void release() {
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
        }

        void start() {
            source.getReadSetter().set((ChannelListener<StreamSourceChannel>) ch -> onReadable());
            sink.getWriteSetter().set((ChannelListener<StreamSinkChannel>) ch -> onWritable());
            // Read once now rather than wait for readiness: the client may already have sent its FIN while
            // the upstream connect was in progress (the HTTP layer then shut its reads down, and no
            // readiness event would ever come), or bytes may be buffered already.
            source.wakeupReads();
        }

        private void onReadable() {
            if (closed) return;
            if (buffer == null) {
                buffer = pool.allocate();
                buffer.getBuffer().clear();
            }
            var buf = buffer.getBuffer();
            try {
                // A bounded number of rounds, then yield the IO thread to other connections.
                for (int round = 0; round < 16; round++) {
                    if (bandwidth != null && !capToTokens(buf)) return;
                    int n = source.read(buf);
                    if (n < 0) {
                        eof = true;
                        release();
                        // XNIO suspended reads when they ended; once both sides have ended the socket is closed,
                        // and suspending again costs a CancelledKeyException (two per tunnel, 1.7 % of the CPU
                        // of a connect_rate run).
                        if (source.isOpen()) source.suspendReads();
                        finishWrites();
                        return;
                    }
                    if (n == 0) {
                        release(); // everything read so far is written: nothing to hold while waiting
                        return;
                    }
                    bytes += n;
                    if (bandwidth != null) bandwidth.charge(payer, n);
                    lastActivity = System.nanoTime();
                    buf.flip();
                    sink.write(buf);
                    if (buf.hasRemaining()) {
                        // The sink is full: stop reading until it drains (backpressure).
                        pending = true;
                        source.suspendReads();
                        sink.resumeWrites();
                        return;
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                closeBoth("error: " + e.getMessage());
            }
        }

        private void onWritable() {
            if (closed) return;
            try {
                if (pending) {
                    var buf = buffer.getBuffer();
                    sink.write(buf);
                    lastActivity = System.nanoTime();
                    if (buf.hasRemaining()) return;
                    pending = false;
                    release();
                }
                if (eof) {
                    finishWrites();
                    return;
                }
                sink.suspendWrites();
                source.resumeReads();
            } catch (IOException e) {
                closeBoth("error: " + e.getMessage());
            }
        }

        /**
         * Limits the next read to the bytes the buckets hold. When they hold none, gives the buffer back (all
         * read bytes are written by now), suspends reads and has the IO thread resume them once at least one
         * byte may go (at least a millisecond on, the timer's resolution); returns false then.
         */
        private boolean capToTokens(ByteBuffer buf) {
            long tokens = bandwidth.available(payer);
            if (tokens > 0) {
                buf.limit((int) Math.min(buf.capacity(), tokens));
                return true;
            }
            release();
            source.suspendReads();
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(bandwidth.nanosUntilAvailable(payer) + 999_999));
            refill = source.getIoThread().executeAfter(() -> {
                refill = null;
                if (!closed) source.resumeReads();
            }, waitMillis, TimeUnit.MILLISECONDS);
            return false;
        }

        void cancelRefill() {
            if (refill != null) {
                refill.remove();
                refill = null;
            }
        }

        /** The source ended: half-close the sink once everything before it is flushed. */
        private void finishWrites() throws IOException {
            sink.shutdownWrites();
            if (sink.flush()) {
                if (sink.isOpen()) sink.suspendWrites(); // terminated writes are suspended already (see above)
                done = true;
                directionEnded();
            } else {
                sink.resumeWrites();
            }
        }
    }
}
