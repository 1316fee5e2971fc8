package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.ByteRange;
import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.http.Via;
import io.undertow.io.BufferWritableOutputStream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes responses the cache answers to the client: a stored response whole, as one byte range (206) or
 * as 416 (RFC 9110 §14), without a body for HEAD; a 304 for a satisfied client conditional; a collapsed
 * follower's copy of a body still arriving. Runs on a worker thread with blocking output.
 *
 * <p>Bodies are not copied per request where the tier allows it: a memory-tier body goes out as a
 * duplicate of its read-only buffer, a disk-tier body by {@code FileChannel} transfer (sendfile where
 * the platform has it).
 */
final class StoredResponder {
    private static final HttpString X_CACHE = HttpString.tryFromString("X-Cache");
    private static final int CHUNK = 64 * 1024;
    /**
     * Stored fields a hit replaces: its length is written from the body sent. A stored Content-Range stays on a
     * whole response (RFC 9111 §3.1: every field is stored and sent but the hop-by-hop ones); a 206 or 416 gets
     * its own in its place.
     */
    private static final List<String> CONTENT_LENGTH = List.of("Content-Length");
    /** As {@link #CONTENT_LENGTH}, and Age, which a memory hit sets from its lookup. */
    private static final List<String> CONTENT_LENGTH_AND_AGE = List.of("Content-Length", "Age");

    private final Via via;
    private final String xCacheHit;
    private final String xCacheMiss;
    /** Makes a memory-tier response's head, kept with it; one object, so the tier recognises it on every hit. */
    private final Function<CacheStore.StoredResponse, ResponseHead> memoryHead;
    /**
     * A 416 is made here, not the stored response: it carries only this proxy's fields, not the stored validators
     * and freshness, under which a downstream cache could store the 416 for the URL (RFC 9111 §3).
     */
    private final ResponseHead unsatisfiableHead;
    /** The policy's response rules: every stored response is checked against the running policy before it goes out. */
    private final ResponseRuleCheck rules;

    /** {@code xCache}: whether responses carry {@code X-Cache: HIT|MISS from <pseudonym>}; no response rules. */
    StoredResponder(Via via, boolean xCache) {
        this(via, xCache, ResponseRuleCheck.NONE);
    }

    /** As {@link #StoredResponder(Via, boolean)}, checking each response against the policy's response {@code rules}. */
    StoredResponder(Via via, boolean xCache, ResponseRuleCheck rules) {
        this.rules = rules;
        this.via = via;
        this.xCacheHit = xCache ? "HIT from " + via.pseudonym() : null;
        this.xCacheMiss = xCache ? "MISS from " + via.pseudonym() : null;
        this.memoryHead = stored -> ResponseHead.of(stored.entry().headers(), CONTENT_LENGTH_AND_AGE, via, stored.bodyLength());
        this.unsatisfiableHead = ResponseHead.of(CacheHeaders.empty(), List.of(), via, -1);
    }

    /** Marks a response that came from the origin ({@code X-Cache: MISS}), when enabled. */
    void markMiss(HeaderMap out) {
        if (xCacheMiss != null) out.add(X_CACHE, xCacheMiss); // after any upstream proxy's, as Squid adds one per hop
    }

    /** Sends {@code stored} with {@code headers} (which carry {@code Age}) as the answer to {@code request}. */
    void send(HttpServerExchange exchange, CacheRequest request, CacheStore.StoredResponse stored, CacheHeaders headers)
            throws IOException {
        if (blocked(exchange, stored)) return;
        ByteRange range = head(exchange, request, stored, storedHead(stored, headers), null);
        if (range == null) {
            exchange.endExchange();
            return;
        }
        sendBlocking(exchange, stored, range);
    }

    /** Writes {@code range} of the stored body through the exchange's blocking output, then ends it. */
    private static void sendBlocking(HttpServerExchange exchange, CacheStore.StoredResponse stored, ByteRange range)
            throws IOException {
        OutputStream body = blockingOutput(exchange);
        writeBody(body, stored, range.first(), range.length());
        body.close();
    }

    /**
     * As {@link #send}, but a body in a file goes out from the connection's IO thread by non-blocking
     * {@code transferFrom} (sendfile), in counts as large as the socket takes: on a worker thread the same
     * transfer stops each time the socket buffer fills and waits for the IO thread to wake it, two thread
     * hops per buffer-full. The trade-off: a body no longer in the page cache makes sendfile wait for the disk
     * on the IO thread (as nginx does without {@code aio threads}); the first open's checksum pass, on the
     * worker thread, reads it in. Returns true when it took {@code release} (the stored response's holder), which
     * is then closed when the exchange completes; false when the caller still owns it (the response was
     * sent here, blocking).
     */
    boolean sendReleasing(HttpServerExchange exchange, CacheRequest request, CacheStore.StoredResponse stored,
                          CacheHeaders headers, Closeable release) throws IOException {
        if (blocked(exchange, stored)) return false;
        Optional<FileChannel> file = stored.bodyChannel();
        if (file.isEmpty()) {
            send(exchange, request, stored, headers);
            return false;
        }
        ByteRange range = head(exchange, request, stored, storedHead(stored, headers), null);
        if (range == null) {
            exchange.endExchange();
            return false;
        }
        if (range.first() + range.length() != stored.bodyLength()) {
            // Undertow's first transferFrom (the one that also writes the head) reads a whole buffer at the
            // channel's position, whatever the count: only a range that runs to the end of the file is safe.
            sendBlocking(exchange, stored, range);
            return false;
        }
        file.get().position(range.first()); // that same first transfer ignores its position argument too
        FileBody body = new FileBody(exchange, file.get(), range.first(), range.first() + range.length(), release);
        exchange.addExchangeCompleteListener((ex, next) -> { // runs before the audit handler's, added earlier
            body.completed();
            next.proceed();
        });
        exchange.dispatch(exchange.getIoThread(), ex -> body.handleEvent(ex.getResponseChannel()));
        return true;
    }

    /** Transfers {@code [position, end)} of a file to the response on the IO thread, resuming on write-ready. */
    private static final class FileBody implements ChannelListener<StreamSinkChannel> {
        private final HttpServerExchange exchange;
        private final FileChannel file;
        private final long end;
        private final Closeable release;
        private long position;
        private String error = "client_aborted";

        FileBody(HttpServerExchange exchange, FileChannel file, long position, long end, Closeable release) {
            this.exchange = exchange;
            this.file = file;
            this.position = position;
            this.end = end;
            this.release = release;
        }

        @Override
        public void handleEvent(StreamSinkChannel channel) {
            try {
                while (position < end) {
                    long n = channel.transferFrom(file, position, end - position);
                    if (n == 0) {
                        if (position >= file.size()) {
                            error = "stored_body_short"; // the file, not the client
                            failed();
                            return;
                        }
                        channel.getWriteSetter().set(this);
                        channel.resumeWrites(); // Undertow resumes it once this call returns
                        return;
                    }
                    position += n;
                }
                channel.suspendWrites();
                channel.getWriteSetter().set(null);
                channel.shutdownWrites();
                if (!channel.flush()) {
                    channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(null, (c, e) -> failed()));
                    channel.resumeWrites();
                }
            } catch (IOException e) {
                failed();
            }
        }

        /** The client went away (or the file failed): cut the connection, as a failing origin's is. */
        private void failed() {
            IoUtils.safeClose(exchange.getConnection());
        }

        /**
         * The exchange is over: release the stored response, and if the body did not all go out, say so in the
         * record (Squid's _ABORTED). Undertow counts an exchange ended by a closed connection as complete, and
         * a client that leaves while we wait for write-ready never reaches this transfer again.
         */
        void completed() {
            IoUtils.safeClose(release);
            AuditRecord record = Exchanges.record(exchange);
            if (position >= end || record == null) return;
            record.markAborted(error);
        }
    }

    /**
     * As {@link #send}, without blocking, for a response held in memory, {@code ageSeconds} old (its
     * {@code Age}, RFC 9111 §5.1): on the IO thread, the body goes out as a slice of the stored buffer, never
     * copied, and the stored fields as the head prepared once for all hits of this stored response.
     */
    void sendFromMemory(HttpServerExchange exchange, CacheRequest request, CacheStore.StoredResponse stored,
                        long ageSeconds) {
        ByteBuffer buffer = stored.bodyBuffer().orElseThrow(() -> new IllegalArgumentException("not a memory-tier response"));
        if (blocked(exchange, stored)) return;
        ByteRange range = memoryHead(exchange, request, stored, ageSeconds);
        if (range == null) {
            exchange.endExchange();
            return;
        }
        // bodyBuffer() hands out a fresh view: other hits of the same body have their own position and limit.
        buffer.position((int) range.first()).limit((int) (range.first() + range.length()));
        exchange.getResponseSender().send(buffer);
    }

    /** {@link #head} for a memory-tier response: its fields as prepared once for all its hits, and {@code Age}. */
    ByteRange memoryHead(HttpServerExchange exchange, CacheRequest request, CacheStore.StoredResponse stored, long ageSeconds) {
        ResponseHead fields = stored.derived(memoryHead);
        return head(exchange, request, stored, fields, fields.ageText(ageSeconds));
    }

    /** The head of {@code stored} sent with {@code headers} (the stored fields with Age), made for this response. */
    private ResponseHead storedHead(CacheStore.StoredResponse stored, CacheHeaders headers) {
        return ResponseHead.of(headers, CONTENT_LENGTH, via, stored.bodyLength());
    }

    /**
     * Sets the status and header fields for {@code stored} (whole, one range, or 416, RFC 9110 §14) and
     * returns the bytes to send, or null when the response has no body (HEAD, 204, 416, empty).
     * {@code age}: the {@code Age} value when {@code fields} leave it out, null when they carry it.
     */
    private ByteRange head(HttpServerExchange exchange, CacheRequest request, CacheStore.StoredResponse stored,
                           ResponseHead fields, String age) {
        ByteRange range = ByteRange.of(request, stored.entry(), fields.whole());
        int status = rangeHead(exchange, stored.entry().status(), range, fields, age);
        boolean bodyAllowed = status != 204 && status != 304 && status >= 200;
        if (range.kind() == ByteRange.Kind.FULL && bodyAllowed) {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, fields.contentLength());
        }
        boolean noBody = request.method().equals("HEAD") || !bodyAllowed || range.length() == 0;
        return noBody ? null : range;
    }

    /**
     * Sets the status and header fields for {@code range} of a response of {@code status}: its own {@code fields}
     * (and {@code age}, unless null) for the whole body or a part, only this proxy's for a 416, which is made here;
     * and for a part or a 416 the range's {@code Content-Range} and {@code Content-Length}. Returns the status set.
     */
    private int rangeHead(HttpServerExchange exchange, int status, ByteRange range, ResponseHead fields, String age) {
        int sent = switch (range.kind()) {
            case FULL -> status;
            case PARTIAL -> 206;
            case UNSATISFIABLE -> 416;
        };
        exchange.setStatusCode(sent);
        HeaderMap out = exchange.getResponseHeaders();
        if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
            unsatisfiableHead.addTo(out);
        } else {
            fields.addTo(out);
            if (age != null) out.put(Headers.AGE, age);
        }
        markHit(out);
        if (range.kind() != ByteRange.Kind.FULL) {
            out.remove(Headers.CONTENT_RANGE); // the range's own, not a stored one
            CacheFields.copy(range.headers(), out);
        }
        return sent;
    }

    /** Answers a satisfied client conditional with 304 and {@code headers} (RFC 9111 §4.3.2). */
    void notModified(HttpServerExchange exchange, CacheHeaders headers) {
        exchange.setStatusCode(304);
        writeHeaders(exchange.getResponseHeaders(), headers, CONTENT_LENGTH);
        exchange.endExchange();
    }

    /**
     * Sends a collapsed follower the leader's response {@code entry}: {@code headers} (stored fields with Age), and
     * the body as it arrives, whole or the single range {@code request} asks for. A body that fails midway cuts the
     * connection, as a failing origin does.
     */
    void sendShared(HttpServerExchange exchange, CacheRequest request, CacheEntry entry, CacheHeaders headers, InputStream body,
                    BodyCopier copier) throws BodyCopier.SourceFailed, BodyCopier.SinkFailed {
        // A Range is served from the body as it arrives when its length is known (RFC 9110 §14): a 200 would be
        // allowed (§14.2), but BITS (Windows Update) takes a 200 to a range request for a server without ranges.
        long length = CacheFields.contentLength(headers);
        if (rules.blockedFromStore(exchange, entry.status(), headers, length)) return;
        ByteRange range = length < 0 ? null : ByteRange.of(request, entry, length);
        boolean whole = range == null || range.kind() == ByteRange.Kind.FULL;
        int status;
        if (whole) {
            status = entry.status();
            exchange.setStatusCode(status);
            writeHeaders(exchange.getResponseHeaders(), headers, List.of()); // the stored length, or chunked
        } else {
            status = rangeHead(exchange, entry.status(), range, ResponseHead.of(headers, CONTENT_LENGTH, via, -1), null);
        }
        if (exchange.getRequestMethod().toString().equals("HEAD") || status == 204 || status == 304 || status == 416) {
            exchange.endExchange();
            return;
        }
        OutputStream sink = blockingOutput(exchange);
        copier.copy(body, sink, whole ? 0 : range.first(), whole ? Long.MAX_VALUE : range.length());
        try {
            sink.close();
        } catch (IOException e) {
            throw new BodyCopier.SinkFailed(e);
        }
    }

    /** True if a response rule refused {@code stored} (the block page went out in its place). */
    private boolean blocked(HttpServerExchange exchange, CacheStore.StoredResponse stored) {
        return rules.blockedFromStore(exchange, stored.entry().status(), stored.entry().headers(), stored.bodyLength());
    }

    /** The response body stream; blocking is fine, this runs on a worker thread. */
    private static OutputStream blockingOutput(HttpServerExchange exchange) {
        if (!exchange.isBlocking()) exchange.startBlocking();
        return exchange.getOutputStream();
    }

    /**
     * The stored fields but {@code skip} (set by the caller), with this proxy added to {@code Via} (RFC 9110
     * §7.6.3) and {@code X-Cache}.
     */
    private void writeHeaders(HeaderMap out, CacheHeaders headers, List<String> skip) {
        ResponseHead.of(headers, skip, via, -1).addTo(out);
        markHit(out);
    }

    private void markHit(HeaderMap out) {
        if (xCacheHit != null) out.add(X_CACHE, xCacheHit);
    }

    private static void writeBody(OutputStream out, CacheStore.StoredResponse stored, long first, long count)
            throws IOException {
        BufferWritableOutputStream direct = out instanceof BufferWritableOutputStream b ? b : null;
        Optional<ByteBuffer> buffer = stored.bodyBuffer();
        if (buffer.isPresent() && direct != null) {
            ByteBuffer slice = buffer.get(); // a fresh view (bodyBuffer's contract)
            slice.position((int) first).limit((int) (first + count));
            direct.write(slice);
            return;
        }
        Optional<FileChannel> channel = stored.bodyChannel();
        if (channel.isPresent() && direct != null && first + count == stored.bodyLength()) {
            direct.transferFrom(channel.get().position(first)); // to the end of the file, zero-copy
            return;
        }
        if (channel.isPresent()) {
            copyRange(channel.get(), first, count, out);
            return;
        }
        try (InputStream in = stored.body()) {
            in.skipNBytes(first);
            byte[] chunk = new byte[CHUNK];
            long left = count;
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) throw new IOException("the stored body ended early");
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    private static void copyRange(FileChannel channel, long first, long count, OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long position = first;
        long end = first + count;
        while (position < end) {
            chunk.clear().limit((int) Math.min(CHUNK, end - position));
            int n = channel.read(chunk, position);
            if (n < 0) throw new IOException("the stored body ended early");
            out.write(chunk.array(), 0, n);
            position += n;
        }
    }
}
