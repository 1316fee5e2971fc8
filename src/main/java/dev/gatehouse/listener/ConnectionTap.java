package dev.gatehouse.listener;

import dev.gatehouse.http.AddressRange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Watches the raw bytes of one client connection, beneath Undertow's HTTP parser, so that
 * <ul>
 *   <li>each exchange's audit record gets the bytes it really moved, headers included (Squid's
 *       {@code %<st} counts headers), and</li>
 *   <li>a request Undertow rejects before any handler runs (bad framing, oversized header) or a
 *       connection that ends in the middle of a request header still gets its audit record, as
 *       Squid logs {@code NONE_NONE/400 error:invalid-request}.</li>
 * </ul>
 * All methods run on the connection's IO thread, except the reads of the counters.
 */
final class ConnectionTap {
    /** What the tap reports for traffic no exchange accounted for. */
    record Unparsed(InetSocketAddress client, int status, long bytesIn, long bytesOut) {}

    private final InetSocketAddress client;
    /** The client's address as audit records write it, made once per connection rather than per request. */
    private final String clientText;
    private final Consumer<Unparsed> onUnparsed;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private long inAtLastBoundary;
    private long outAtLastBoundary;
    private int activeExchanges;
    private boolean tunnelled;
    private boolean reported;
    private final byte[] statusLine = new byte[12];
    /** Head scan: 0 inside a line (the request line first), 1 after LF, 2 after LF CR, 3 head over. */
    private int headState;
    private boolean obsFold;
    private int statusLineLength;

    private ConnectionTap(InetSocketAddress client, Consumer<Unparsed> onUnparsed) {
        this.client = client;
        this.clientText = client == null ? "-" : AddressRange.text(client.getAddress());
        this.onUnparsed = onUnparsed;
    }

    /** The client's address, as {@link AddressRange#text} writes it; "-" when unknown. */
    String clientText() {
        return clientText;
    }

    /** Puts counting conduits under the connection; call before Undertow sees it. */
    static ConnectionTap install(StreamConnection connection, Consumer<Unparsed> onUnparsed) {
        ConnectionTap tap = new ConnectionTap((InetSocketAddress) connection.getPeerAddress(), onUnparsed);
        connection.getSourceChannel().setConduit(tap.new Source(connection.getSourceChannel().getConduit()));
        connection.getSinkChannel().setConduit(tap.new Sink(connection.getSinkChannel().getConduit()));
        return tap;
    }

    /** An exchange reached the handler chain; returns whether its head contained obsolete line folding. */
    synchronized boolean exchangeStarted() {
        activeExchanges++;
        boolean folded = obsFold;
        obsFold = false;
        headState = 3; // whatever is read now is this exchange's body, until it completes
        return folded;
    }

    /**
     * Looks for obsolete line folding (a header line starting with SP or HTAB, RFC 9112 §5.2) in the
     * bytes of a request head as they arrive, before Undertow's parser (which would silently unfold it).
     * Only bytes read while no exchange is active are a head, and only up to its blank line.
     */
    private synchronized void scanHead(ByteBuffer dst, int start, int n) {
        if (activeExchanges > 0 || tunnelled) return;
        for (int i = start; i < start + n && headState != 3; i++) {
            byte b = dst.get(i);
            switch (headState) {
                case 1 -> {
                    if (b == ' ' || b == '\t') obsFold = true;
                    headState = b == '\r' ? 2 : b == '\n' ? 3 : 0;
                }
                case 2 -> headState = b == '\n' ? 3 : 0;
                default -> headState = b == '\n' ? 1 : 0;
            }
        }
    }

    /**
     * An exchange finished; returns {bytesFromClient, bytesToClient} attributed to it, and moves the
     * boundary so that what follows belongs to the next exchange.
     */
    synchronized long[] exchangeCompleted() {
        activeExchanges--;
        long in = bytesIn, out = bytesOut;
        long[] delta = {in - inAtLastBoundary, out - outAtLastBoundary};
        inAtLastBoundary = in;
        outAtLastBoundary = out;
        statusLineLength = 0;
        headState = 0; // the next bytes start a new request head
        obsFold = false;
        return delta;
    }

    /** The connection now carries a tunnel: its bytes are the tunnel's, never an unparsed request. */
    synchronized void tunnelled() {
        tunnelled = true;
    }

    private synchronized void read(int n) {
        if (n > 0) bytesIn += n;
        else if (n < 0) connectionEnding();
    }

    private void wrote(ByteBuffer src, int position, long n) {
        wrote(src, position, n, n);
    }

    /** {@code total} bytes went out, the first {@code fromSrc} of them from {@code src} at {@code position}. */
    private synchronized void wrote(ByteBuffer src, int position, long fromSrc, long total) {
        if (total <= 0) return;
        if (activeExchanges == 0 && !tunnelled && statusLineLength < statusLine.length) {
            // Undertow answering a request it rejected itself: keep the status line to log its code.
            int take = (int) Math.min(fromSrc, statusLine.length - statusLineLength);
            for (int i = 0; i < take; i++) statusLine[statusLineLength++] = src.get(position + i);
        }
        bytesOut += total;
    }

    private static ByteBuffer firstWithRemaining(ByteBuffer[] srcs, int offs, int len) {
        for (int i = offs; i < offs + len; i++) if (srcs[i].hasRemaining()) return srcs[i];
        return null;
    }

    private synchronized void connectionEnding() {
        if (reported || tunnelled || activeExchanges > 0) return;
        long in = bytesIn - inAtLastBoundary;
        long out = bytesOut - outAtLastBoundary;
        if (in == 0 && out == 0) return; // an idle keep-alive connection closing: nothing to log
        reported = true;
        onUnparsed.accept(new Unparsed(client, parsedStatus(), in, out));
    }

    private int parsedStatus() {
        if (statusLineLength < 12) return 0;
        String s = new String(statusLine, 0, 12, StandardCharsets.ISO_8859_1);
        if (!s.startsWith("HTTP/1.")) return 0;
        try {
            return Integer.parseInt(s.substring(9, 12));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private final class Source extends AbstractStreamSourceConduit<StreamSourceConduit> {
        Source(StreamSourceConduit next) {
            super(next);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int start = dst.position();
            int n = next.read(dst);
            if (n > 0) scanHead(dst, start, n);
            ConnectionTap.this.read(n);
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            long n = next.read(dsts, offs, len);
            ConnectionTap.this.read((int) Math.max(-1, Math.min(Integer.MAX_VALUE, n)));
            return n;
        }

        @Override
        public void terminateReads() throws IOException {
            connectionEnding();
            next.terminateReads();
        }
    }

    private final class Sink extends AbstractStreamSinkConduit<StreamSinkConduit> {
        Sink(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int pos = src.position();
            int n = next.write(src);
            wrote(src, pos, n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
            ByteBuffer first = firstWithRemaining(srcs, offs, len);
            int pos = first == null ? 0 : first.position();
            long n = next.write(srcs, offs, len);
            wroteGathered(first, pos, n);
            return n;
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            int pos = src.position();
            int n = next.writeFinal(src);
            wrote(src, pos, n);
            return n;
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
            ByteBuffer first = firstWithRemaining(srcs, offs, len);
            int pos = first == null ? 0 : first.position();
            long n = next.writeFinal(srcs, offs, len);
            wroteGathered(first, pos, n);
            return n;
        }

        @Override
        public long transferFrom(FileChannel src, long position, long count) throws IOException {
            long n = next.transferFrom(src, position, count); // sendfile: a stored body, never a status line
            wrote(null, 0, 0, n);
            return n;
        }

        private void wroteGathered(ByteBuffer first, int pos, long n) {
            if (first != null) wrote(first, pos, Math.min(n, first.position() - pos), n);
        }

        @Override
        public void terminateWrites() throws IOException {
            connectionEnding();
            next.terminateWrites();
        }

        @Override
        public void truncateWrites() throws IOException {
            connectionEnding();
            next.truncateWrites();
        }
    }
}
