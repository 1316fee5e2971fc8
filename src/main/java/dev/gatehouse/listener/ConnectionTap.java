package dev.gatehouse.listener;

import dev.gatehouse.http.AddressRange;
import io.undertow.protocols.ssl.UndertowXnioSsl;
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
import org.xnio.ssl.SslConnection;

/**
 * Watches the raw bytes of one client connection, beneath Undertow's HTTP parser (on the TLS listener
 * above TLS, so the decrypted bytes: see {@link TlsListener}), so that
 * <ul>
 *   <li>each exchange's audit record gets the bytes it really moved, headers included (Squid's
 *       {@code %<st} counts headers), and</li>
 *   <li>user info in an absolute-form target ({@code GET ftp://user:pass@host/file}, as curl and browsers
 *       send it) is taken out of the request line before Undertow's parser, which reads the authority as
 *       {@code host[:port]} only and answers a bare 400 to anything else; the handlers get it apart
 *       (see {@link Head}), so it never reaches the URL that is logged, cached or matched by policy, and</li>
 *   <li>the {@code Host} field of an absolute-form request is made to name the target's host when it names
 *       another, as Undertow refuses that before any handler runs where RFC 9112 §3.2.2 says to ignore it
 *       (see {@link TargetHost}), and</li>
 *   <li>a request Undertow rejects before any handler runs (bad framing, oversized header) or a
 *       connection that ends in the middle of a request header still gets its audit record, as
 *       Squid logs {@code NONE_NONE/400 error:invalid-request}, and</li>
 *   <li>on the TLS listener, a connection whose handshake failed (the client refused the certificate, no
 *       common protocol or cipher, plain HTTP on the TLS port, closed or timed out mid-handshake) gets one
 *       too, {@code NONE_NONE/000 error:tls-handshake-failed}, from what its {@link TlsWatchedEngine} saw:
 *       such a connection never yields a decrypted byte for this tap to see.</li>
 * </ul>
 * A connection that closes without having sent a byte (a TCP health check, a port scan, a browser's unused
 * pre-connection; or a TLS connection whose handshake finished and then nothing) is no access and gets no
 * record, on either listener. All methods run on the connection's IO thread, except the reads of the counters.
 */
final class ConnectionTap {
    /**
     * What the tap reports for traffic no exchange accounted for.
     *
     * @param status the status Undertow answered with, or 0 when nothing was answered
     * @param error  the audit record's failure name: {@code invalid_request}, {@code transaction_end_before_headers}
     *               or {@code tls_handshake_failed}
     */
    record Unparsed(InetSocketAddress client, int status, long bytesIn, long bytesOut, String error) {}

    /**
     * What the tap saw in an exchange's request head.
     *
     * @param obsFold  the head used obsolete line folding
     * @param userInfo the raw (still percent-encoded) {@code user[:password]} taken out of the target, or null
     */
    record Head(boolean obsFold, String userInfo) {
        /** Neither: the common case, shared rather than allocated per request. */
        static final Head PLAIN = new Head(false, null);
    }

    /** Request-line scan states: the method, a target's scheme, its "//", its authority, then nothing more to do. */
    private static final int METHOD = 0, SCHEME = 1, SLASH1 = 2, SLASH2 = 3, AUTHORITY = 4, LINE_DONE = 5;
    /** The longest unfinished authority held back from the parser while its end has not arrived. */
    private static final int HELD_MAX = 2048;
    private static final byte[] NOTHING_HELD = new byte[0];
    /** The name of a {@code Host} field line, with its colon, in lower case. */
    private static final byte[] HOST = "host:".getBytes(StandardCharsets.US_ASCII);
    /** The longest bare 400 Undertow writes itself (its parser's, or HostHeaderHandler's with a reason and Date). */
    private static final int BARE_400_MAX = 256;

    private final InetSocketAddress client;
    /** The client's address as audit records write it, made once per connection rather than per request. */
    private final String clientText;
    private final Consumer<Unparsed> onUnparsed;
    private final byte[] rejection;
    /** The TLS listener's engine for this connection, or null on the plain listener. */
    private final TlsWatchedEngine handshake;
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
    private int lineState;
    private boolean methodSeen;
    private String userInfo;
    /**
     * The start of an authority, or of a header line that may be {@code Host}, that had not ended when a read
     * ended, withheld from the parser until it does.
     */
    private byte[] held;
    /** The current absolute-form request's target host, for its {@code Host} field. */
    private final TargetHost target = new TargetHost();
    /** Where the header line being scanned started in the buffer, or -1 when it is not a possible {@code Host} line. */
    private int fieldStart = -1;

    ConnectionTap(InetSocketAddress client, Consumer<Unparsed> onUnparsed, byte[] rejection, TlsWatchedEngine handshake) {
        this.client = client;
        this.clientText = client == null ? "-" : AddressRange.text(client.getAddress());
        this.onUnparsed = onUnparsed;
        this.rejection = rejection;
        this.handshake = handshake;
    }

    /** The client's address, as {@link AddressRange#text} writes it; "-" when unknown. */
    String clientText() {
        return clientText;
    }

    /**
     * Puts counting conduits under the connection; call before Undertow sees it.
     *
     * @param rejection the whole response (status line to body) sent instead of Undertow's bare 400 when its
     *                  parser refuses a request, so that the client sees a page saying why
     */
    static ConnectionTap install(StreamConnection connection, Consumer<Unparsed> onUnparsed, byte[] rejection) {
        TlsWatchedEngine handshake = connection instanceof SslConnection tls
                && UndertowXnioSsl.getSslEngine(tls) instanceof TlsWatchedEngine watched ? watched : null;
        ConnectionTap tap = new ConnectionTap((InetSocketAddress) connection.getPeerAddress(), onUnparsed, rejection, handshake);
        connection.getSourceChannel().setConduit(tap.source(connection.getSourceChannel().getConduit()));
        connection.getSinkChannel().setConduit(tap.new Sink(connection.getSinkChannel().getConduit()));
        return tap;
    }

    /** The conduit that watches what the client sends, over {@code next}. */
    StreamSourceConduit source(StreamSourceConduit next) {
        return new Source(next);
    }

    /** An exchange reached the handler chain; returns what its head showed. */
    synchronized Head exchangeStarted() {
        activeExchanges++;
        Head head = obsFold || userInfo != null ? new Head(obsFold, userInfo) : Head.PLAIN;
        obsFold = false;
        userInfo = null;
        headState = 3; // whatever is read now is this exchange's body, until it completes
        lineState = LINE_DONE;
        return head;
    }

    /**
     * Looks for obsolete line folding (a header line starting with SP or HTAB, RFC 9112 §5.2) in the
     * bytes of a request head as they arrive, before Undertow's parser (which would silently unfold it), and
     * has an absolute-form request's {@code Host} line rewritten by {@link TargetHost}: a line that may be
     * {@code Host} and has not ended when the read ends is held back (as {@link #requestLine} holds an
     * authority) so that the rewrite sees it whole. Only bytes read while no exchange is active are a head,
     * and only up to its blank line (so a pipelined request read along with the one before it is not seen:
     * Undertow parses it from its own buffer).
     */
    private synchronized int scanHead(ByteBuffer dst, int start, int n) {
        if (activeExchanges > 0 || tunnelled) return n;
        n = requestLine(dst, start, n);
        int end = start + n;
        for (int i = start; i < end && headState != 3; i++) {
            byte b = dst.get(i);
            switch (headState) {
                case 1 -> {
                    if (b == ' ' || b == '\t') obsFold = true;
                    headState = b == '\r' ? 2 : b == '\n' ? 3 : 0;
                    if (headState == 0 && target.isSet()) {
                        fieldStart = i;
                        hostField(dst, i, b);
                    }
                }
                case 2 -> headState = b == '\n' ? 3 : 0;
                default -> {
                    if (fieldStart >= 0) hostField(dst, i, b);
                    headState = b == '\n' ? 1 : 0;
                }
            }
        }
        if (fieldStart >= 0) { // a line that may be Host is cut off by the end of this read
            if (end - fieldStart <= HELD_MAX) {
                hold(dst, fieldStart, end);
                end = fieldStart;
                headState = 1;
            }
            fieldStart = -1; // rescanned from its start with the next read; or too long for a host name: Undertow judges it
        }
        dst.position(end);
        return end - start;
    }

    /** One more byte {@code b} at {@code i} of a line that may be {@code Host}: drops a line named otherwise, rewrites a complete Host line. */
    private void hostField(ByteBuffer dst, int i, byte b) {
        int at = i - fieldStart;
        if (at < HOST.length) {
            if ((b >= 'A' && b <= 'Z' ? b | 0x20 : b) != HOST[at]) fieldStart = -1; // names are case-insensitive (RFC 9110 §5.1)
        } else if (b == '\n') {
            target.rewrite(dst, fieldStart + HOST.length, dst.get(i - 1) == '\r' ? i - 1 : i);
            fieldStart = -1;
        }
    }

    /**
     * Follows the request line through {@code n} bytes at {@code start} and takes user info out of an
     * absolute-form target's authority (RFC 3986 §3.2.1: up to the last {@code @}), shifting the rest of
     * the bytes down; returns how many bytes are left for the parser. An authority whose end has not
     * arrived yet is held back (as Undertow would otherwise see {@code user} as the host) and put in front
     * of the next read. The connection's byte counts are the client's bytes, taken before this.
     */
    private int requestLine(ByteBuffer dst, int start, int n) {
        int end = start + n;
        int authority = start;
        int at = -1;
        for (int i = start; i < end && lineState != LINE_DONE; i++) {
            byte b = dst.get(i);
            switch (lineState) {
                case METHOD -> {
                    if (b == ' ') lineState = methodSeen ? SCHEME : LINE_DONE;
                    else if (b != '\r' && b != '\n') methodSeen = true; // empty lines before a request are allowed (RFC 9112 §2.2)
                }
                case SCHEME -> {
                    if (b == ':') lineState = SLASH1;
                    else if (!Character.isLetterOrDigit(b) && b != '+' && b != '-' && b != '.') lineState = LINE_DONE; // origin-form
                }
                case SLASH1 -> lineState = b == '/' ? SLASH2 : LINE_DONE; // authority-form (CONNECT host:port)
                case SLASH2 -> {
                    lineState = b == '/' ? AUTHORITY : LINE_DONE;
                    authority = i + 1;
                }
                default -> { // AUTHORITY
                    if (b == '@') {
                        at = i;
                    } else if (b == '/' || b == '?' || b == '#' || b == ' ' || b == '\r' || b == '\n') {
                        lineState = LINE_DONE;
                        target.set(dst, at >= 0 ? at + 1 : authority, i);
                        if (at >= 0) end = removeUserInfo(dst, authority, at, end);
                    }
                }
            }
        }
        if (lineState == AUTHORITY) {
            if (end - authority > HELD_MAX) {
                lineState = LINE_DONE; // not a host name: the parser refuses it
            } else {
                hold(dst, authority, end);
                end = authority;
            }
        }
        return end - start;
    }

    private void hold(ByteBuffer dst, int from, int to) {
        held = new byte[to - from];
        dst.get(from, held);
    }

    /** Keeps {@code [authority, at)} as the user info and shifts the bytes after the {@code @} down over it. */
    private int removeUserInfo(ByteBuffer dst, int authority, int at, int end) {
        byte[] info = new byte[at - authority];
        dst.get(authority, info);
        userInfo = new String(info, StandardCharsets.ISO_8859_1);
        int gap = at + 1 - authority;
        for (int i = at + 1; i < end; i++) dst.put(i - gap, dst.get(i));
        return end - gap;
    }

    /**
     * An exchange finished; returns {bytesFromClient, bytesToClient} attributed to it, and moves the
     * boundary so that what follows belongs to the next exchange.
     */
    synchronized long[] exchangeCompleted() {
        activeExchanges--;
        long[] delta = sinceLastBoundary();
        statusLineLength = 0;
        headState = 0; // the next bytes start a new request head
        obsFold = false;
        lineState = METHOD;
        methodSeen = false;
        userInfo = null;
        target.clear();
        return delta;
    }

    /**
     * Returns {bytesFromClient, bytesToClient} since the last exchange boundary and moves the boundary: at the
     * end of a tunnel, the bytes it moved after its CONNECT exchange completed.
     */
    synchronized long[] sinceLastBoundary() {
        long in = bytesIn, out = bytesOut;
        long[] delta = {in - inAtLastBoundary, out - outAtLastBoundary};
        inAtLastBoundary = in;
        outAtLastBoundary = out;
        return delta;
    }

    /** The connection now carries a tunnel: its bytes are the tunnel's, never an unparsed request. */
    synchronized void tunnelled() {
        tunnelled = true;
    }

    /**
     * The held-back start of an authority, if there is room to put it back in front of the next read. Not
     * synchronized: {@code held} is only touched on the IO thread, and this runs on every read.
     */
    private byte[] takeHeld(ByteBuffer dst) {
        if (held == null || dst.remaining() <= held.length) return NOTHING_HELD;
        byte[] h = held;
        held = null;
        return h;
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

    /**
     * Undertow's own bare 400 before closing, written while no exchange of the chain runs on a connection that
     * is not a tunnel: its parser's ({@code HttpReadListener.sendBadRequestAndClose}) or {@code HostHeaderHandler}'s
     * (two {@code Host} fields, an invalid one, one that {@link TargetHost} had no room to make name the
     * target), which runs before the chain.
     */
    private synchronized boolean isParserRejection(ByteBuffer src) {
        if (rejection == null || activeExchanges > 0 || tunnelled || statusLineLength > 0) return false;
        int n = src.remaining();
        if (n > BARE_400_MAX || n < 16) return false;
        byte[] b = new byte[n];
        src.get(src.position(), b);
        String head = new String(b, StandardCharsets.ISO_8859_1);
        return head.startsWith("HTTP/1.1 400 ") && head.endsWith("\r\n\r\n")
                && head.contains("\r\nContent-Length: 0\r\n") && head.contains("\r\nConnection: close\r\n");
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
        int status = parsedStatus();
        onUnparsed.accept(new Unparsed(client, status, in, out, status == 0 ? "transaction_end_before_headers" : "invalid_request"));
    }

    /**
     * The connection closed (its close listener, once): reports a failed TLS handshake. Nothing else is left
     * to report by then: the conduits saw the end of every connection that carried HTTP.
     */
    synchronized void connectionClosed() {
        if (reported || handshake == null || !handshake.failed()) return;
        reported = true;
        handshake.logFailure(clientText);
        onUnparsed.accept(new Unparsed(client, 0, handshake.bytesIn(), handshake.bytesOut(), "tls_handshake_failed"));
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
            byte[] before = takeHeld(dst);
            if (before.length > 0) dst.position(start + before.length); // read after the held-back bytes
            int n = next.read(dst);
            ConnectionTap.this.read(n);
            if (n <= 0 && before.length == 0) return n;
            if (n < 0) return n; // the connection ends inside a held-back line: nothing to parse
            dst.put(start, before);
            return scanHead(dst, start, before.length + n);
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
            if (isParserRejection(src)) return replaceRejection(src);
            int pos = src.position();
            int n = next.write(src);
            wrote(src, pos, n);
            return n;
        }

        /**
         * Sends the explaining page in place of Undertow's bare 400 and reports Undertow's bytes as written
         * (it closes the connection next; the page says so too). A fresh connection's send buffer takes the page at once; if it
         * did not, the client would see a cut-off page before the close, no worse than the bare answer.
         */
        private int replaceRejection(ByteBuffer src) throws IOException {
            ByteBuffer page = ByteBuffer.wrap(rejection);
            long sent = 0;
            for (int n; page.hasRemaining() && (n = next.write(page)) > 0; ) sent += n;
            wrote(ByteBuffer.wrap(rejection), 0, sent);
            int taken = src.remaining();
            src.position(src.limit());
            return taken;
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
            if (isParserRejection(src)) return replaceRejection(src);
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
