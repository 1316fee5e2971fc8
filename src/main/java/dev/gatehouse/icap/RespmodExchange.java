package dev.gatehouse.icap;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.ReadFailureFilter;
import dev.gatehouse.upstream.BodyStreams;
import dev.gatehouse.upstream.ResponseHead;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One RESPMOD (RFC 3507 §4.9), or REQMOD (§4.8, through {@link Adaptation}), on one pooled connection, from the
 * preview to the end of the adapted body:
 * <ul>
 * <li>With a preview (the service's OPTIONS asked for one, §4.5), its bytes go first; the service then answers
 *     100 Continue (the rest follows), 204 (the origin's response is sent as it is: the preview's bytes are held here
 *     and the rest is still unread at the origin) or 200 (its own response, the rest of the origin's is not wanted).</li>
 * <li>The rest of the body, or the whole of it without a preview, is written by a virtual thread while the caller's
 *     thread reads the answer, so neither side's body is ever held whole, and a service that answers as it reads
 *     (c-icap's echo) cannot deadlock against a client that only reads after writing.</li>
 * <li>{@code Allow: 204} is offered only when the whole body fitted in the preview: a 204 after the rest was sent
 *     would need a copy of everything sent (Squid offers it only for bodies it can buffer whole), which a multi-GB
 *     download must not cost.</li>
 * </ul>
 * The connection goes back to the pool once the answer was read to its end and this side finished writing.
 */
final class RespmodExchange {
    /**
     * The most preview bytes sent, whatever the service's OPTIONS ask for: the preview is held in memory until the
     * service answers, and a service asking for a gigabyte must not make the proxy hold whole downloads. A client may
     * send less than the service's {@code Preview} (RFC 3507 §4.5); scanners ask for a few KiB (c-icap 1024).
     */
    static final int MAX_PREVIEW_BYTES = 64 * 1024;
    private final IcapConnectionPool pool;
    private final IcapConnection connection;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Duration timeout;
    private volatile Thread writer;
    private volatile boolean writerDone;
    /**
     * When the writer last wrote to the service, or ended the body ({@link System#nanoTime}): the service may stay
     * silent for the timeout from then.
     */
    private volatile long writerProgress;
    /** The writer waits for the origin: the service's silence is expected, and the origin's read timeout bounds it. */
    private volatile boolean writerAtOrigin;
    /** The origin's body failed while the writer read it: the failure to report, as the origin's, not the service's. */
    private volatile IOException originFailure;

    private RespmodExchange(IcapConnectionPool pool, IcapConnection connection, Duration timeout) {
        this.pool = pool;
        this.connection = connection;
        this.timeout = timeout;
    }

    /**
     * What one kind of ICAP request writes, and makes of the service's answers: {@link Respmod} for a response,
     * {@link ReqmodAdaptation} for a request with a body. The preview, the writer of the rest, the answer's reading and
     * the connection's return to the pool are the exchange's, the same for both.
     */
    interface Adaptation<T> {
        /** The ICAP head and the encapsulated HTTP head(s) before the body. */
        void writeHeads(OutputStream out, int preview, boolean allow204) throws IOException;

        /** A 204: the message as it was, with {@code whole} its body again. */
        T unmodified(InputStream whole);

        /** A 200: what the service sent instead, read through {@code exchange}'s {@link #head} and {@link #body}. */
        T adapted(ResponseHead answer, RespmodExchange exchange) throws IOException;
    }

    /**
     * Sends {@code response} to the service and returns what the client gets. The preview is read from the origin
     * before a connection is taken, so a slow origin does not hold one.
     *
     * @throws IcapException if the service failed (the body is still {@link OriginBody#intact} if nothing past the
     *                       preview went); another {@link IOException} if the origin's body failed
     */
    static ScanResult run(IcapConnectionPool pool, URI service, String host, Duration timeout, IcapOptions options,
                          ScanRequest request, UpstreamResponse response, OriginBody origin) throws IOException {
        return run(pool, timeout, options, origin, new Respmod(service, host, request, response));
    }

    /**
     * Sends the message {@code adaptation} writes, with {@code origin} its body (a response's, or a client's upload),
     * and returns what {@code adaptation} makes of the answer.
     */
    static <T> T run(IcapConnectionPool pool, Duration timeout, IcapOptions options, OriginBody origin,
                     Adaptation<T> adaptation) throws IOException {
        int previewSize = Math.min(options.preview(), MAX_PREVIEW_BYTES);
        byte[] preview = previewSize >= 0 ? origin.takePreview(previewSize) : null;
        boolean ieof = preview != null && preview.length < previewSize;
        while (true) {
            // With a preview, a kept-alive connection the service closed as it was taken is caught below and retried (only
            // the held preview went); without one, the body streams at once and could not be retried: probe it first.
            RespmodExchange exchange = new RespmodExchange(pool, pool.acquire(preview == null), timeout);
            try {
                return exchange.exchange(adaptation, origin, preview, ieof);
            } catch (IcapException e) {
                exchange.release(false);
                // A kept-alive connection the service closed as it was taken (c-icap does after MaxKeepAliveRequests):
                // nothing was answered and the body is still whole here, so the request goes again on another.
                if (!exchange.connection.reused || !origin.intact() || !closedBeforeAnswering(e)) throw e;
            } catch (IOException | RuntimeException e) {
                exchange.release(false);
                throw e;
            }
        }
    }

    /** The connection ended (or was reset) before the service's first byte. */
    private static boolean closedBeforeAnswering(IcapException e) {
        return e.getCause() instanceof java.io.EOFException || e.getCause() instanceof java.net.SocketException;
    }

    private <T> T exchange(Adaptation<T> adaptation, OriginBody origin, byte[] preview, boolean ieof) throws IOException {
        try {
            adaptation.writeHeads(connection.out, preview == null ? -1 : preview.length, ieof);
            if (preview != null) {
                RespmodMessage.chunk(connection.out, preview, 0, preview.length);
                RespmodMessage.end(connection.out, ieof);
            } else {
                connection.out.flush();
                sendRest(origin);
            }
        } catch (IOException e) {
            throw IcapReplies.failure(e, "sending the message to it");
        }
        ResponseHead answer = answer();
        if (answer.status() == 100) {
            if (preview == null || ieof) throw IcapReplies.malformed("the ICAP service answered 100 Continue where no preview was waiting");
            sendRest(origin);
            answer = answer();
        }
        return switch (answer.status()) {
            case 200 -> adaptation.adapted(answer, this);
            case 204 -> {
                // §4.5/§4.6: only to a preview (with or without ieof), while the body is still whole here.
                if (!origin.intact()) throw IcapReplies.malformed("the ICAP service answered 204 after the whole body, which this client did not allow");
                release(!closes(answer));
                yield adaptation.unmodified(origin.whole());
            }
            default -> throw new IcapException(answer.status() >= 100 && answer.status() < 200 ? Failure.ICAP_MALFORMED : Failure.ICAP_ERROR,
                    "the ICAP service answered " + answer.status() + " " + answer.reason(), null);
        };
    }

    /** The service's next head, or the origin's failure if the writer stopped on it (and closed the connection). */
    private ResponseHead answer() throws IOException {
        try {
            return IcapReplies.head(connection.in);
        } catch (IcapException e) {
            if (originFailure != null) throw originFailure;
            throw e;
        }
    }

    /** Starts the writer of the rest of the body (after the preview, or all of it). */
    private void sendRest(OriginBody origin) {
        origin.takeRest();
        writerProgress = System.nanoTime();
        // A scanner answers after the whole body: while it is still being sent (waiting for the origin, or written
        // without a stall of the timeout's length), its silence is expected; and once all of it went, the service has
        // the whole timeout from then, not what is left of the read that was already waiting for its answer.
        long patience = timeout.toNanos();
        connection.silenceExpectedWhile(() -> writer != null
                && (writerAtOrigin || System.nanoTime() - writerProgress < patience));
        writer = Thread.ofVirtual().name("icap-body-writer").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                while (true) {
                    int n;
                    writerAtOrigin = true;
                    try {
                        n = origin.rest.read(buffer);
                    } catch (IOException e) {
                        originFailure = e;
                        connection.close(); // the service would wait for the rest forever; the reader sees the close
                        return;
                    } finally {
                        writerAtOrigin = false;
                        writerProgress = System.nanoTime();
                    }
                    if (n < 0) break;
                    RespmodMessage.chunk(connection.out, buffer, 0, n);
                    writerProgress = System.nanoTime();
                }
                RespmodMessage.end(connection.out, false);
                writerProgress = System.nanoTime();
                writerDone = true;
            } catch (IOException e) {
                // The service stopped reading (it answered early, or failed): the reader finds out from the answer.
            }
        });
    }

    /** Reads one encapsulated HTTP head from the service's answer. */
    interface HeadReader<H> {
        H read(InputStream in) throws IOException;
    }

    /**
     * The HTTP head at the start of a 200's sections, checked against {@code bodyAt}, the offset {@code Encapsulated}
     * gives the body (§4.4.1).
     */
    <H> H head(HeadReader<H> reader, long bodyAt, String what) throws IOException {
        CountingInput counted = new CountingInput(connection.in);
        H head;
        try {
            head = reader.read(counted);
        } catch (IOException e) {
            throw originFailure != null ? originFailure : IcapReplies.failure(e, "reading the " + what);
        }
        if (counted.count != bodyAt) {
            throw IcapReplies.malformed("Encapsulated puts the body at " + bodyAt + " but the " + what + " is " + counted.count + " bytes");
        }
        return head;
    }

    /**
     * The body after the head: the chunked one that follows ({@code present}), or none ({@code null-body}), held to
     * {@code http}'s {@code Content-Length} when it is an encapsulated response ({@link LengthCheckedBody}; null: a
     * request, framed by its caller). The connection goes back to the pool once it was read to its end (or at once,
     * without one).
     */
    InputStream body(ResponseHead answer, boolean present, ResponseHead http) throws IOException {
        boolean keepAlive = !closes(answer);
        if (present) {
            InputStream chunked = BodyStreams.chunked(connection.in, reusable -> release(reusable && keepAlive && writerFinished()), true);
            return new AdaptedBody(http == null ? chunked : LengthCheckedBody.of(http, chunked));
        }
        release(keepAlive && writerFinished());
        return http == null ? InputStream.nullInputStream() : LengthCheckedBody.of(http, InputStream.nullInputStream());
    }

    /** A RESPMOD (§4.9): the origin's response and the request it answers. */
    private record Respmod(URI service, String host, ScanRequest request, UpstreamResponse response) implements Adaptation<ScanResult> {
        @Override
        public void writeHeads(OutputStream out, int preview, boolean allow204) throws IOException {
            RespmodMessage.writeHeads(out, service, host, request, response, preview, allow204);
        }

        @Override
        public ScanResult unmodified(InputStream whole) {
            return new ScanResult(response.withBody(whole), ScanOutcome.CLEAN, null, null);
        }

        /** A 200: the service's own HTTP response (§4.9.2), head checked against the {@code Encapsulated} offsets. */
        @Override
        public ScanResult adapted(ResponseHead answer, RespmodExchange exchange) throws IOException {
            Map<String, Long> sections = IcapReplies.encapsulated(answer);
            Long headAt = sections.get("res-hdr");
            if (headAt == null || headAt != 0 || sections.containsKey("req-hdr") || sections.containsKey("req-body")) {
                throw IcapReplies.malformed("a RESPMOD answer must encapsulate a response head first: " + sections);
            }
            long bodyAt = bodyOffset(sections, "res-body");
            ResponseHead http = exchange.head(in -> ResponseHead.read(in, "HTTP/1."), bodyAt, "adapted response head");
            String virus = virus(answer);
            ScanOutcome outcome = virus != null || http.status() != response.status() ? ScanOutcome.ADAPTED : ScanOutcome.CLEAN;
            InputStream body = exchange.body(answer, sections.containsKey("res-body"), http);
            UpstreamResponse adapted = new UpstreamResponse(http.status(), http.headers(), body, response.upstreamAddress(),
                    response.parent(), http.httpMinor(), response.hierarchy());
            return new ScanResult(adapted, outcome, virus, null);
        }
    }

    /** Where the body section ({@code bodySection}, or {@code null-body}) starts. */
    static long bodyOffset(Map<String, Long> sections, String bodySection) throws IcapException {
        long bodyAt = sections.containsKey(bodySection) ? sections.get(bodySection) : sections.getOrDefault("null-body", -1L);
        if (bodyAt < 0) throw IcapReplies.malformed("the ICAP answer must end with " + bodySection + " or null-body: " + sections);
        return bodyAt;
    }

    /**
     * Whether the writer wrote the whole body: once the service answered in full it has read all it wanted, and the
     * writer's last flush is at most a moment behind. A writer still busy (the service answered early) leaves the
     * connection in an unknown state, and it is closed.
     */
    private boolean writerFinished() {
        Thread w = writer;
        if (w == null) return true;
        try {
            w.join(Duration.ofMillis(Math.min(1000, timeout.toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return writerDone;
    }

    /** Gives the connection back once: kept when {@code reusable}, closed otherwise (which also stops the writer). */
    private void release(boolean reusable) {
        if (released.compareAndSet(false, true)) pool.release(connection, reusable);
    }

    /**
     * The threat the service named: {@code X-Infection-Found: ...; Threat=<name>;}, {@code X-Virus-ID: <name>}, or
     * the first threat of {@code X-Violations-Found} (count, then per violation four folded lines: file name, threat,
     * id, disposition; read as words, so a file name with spaces is not told apart).
     */
    static String virus(ResponseHead answer) {
        for (String found : answer.values("X-Infection-Found")) {
            for (String part : found.split(";")) {
                String p = part.strip();
                if (p.regionMatches(true, 0, "Threat=", 0, 7) && p.length() > 7) return p.substring(7).strip();
            }
        }
        List<String> id = answer.values("X-Virus-ID");
        if (!id.isEmpty() && !id.getFirst().isBlank()) return id.getFirst().strip();
        List<String> violations = answer.values("X-Violations-Found");
        String[] words = violations.isEmpty() ? new String[0] : violations.getFirst().strip().split("\\s+");
        return words.length >= 5 ? words[2] : null;
    }

    private static boolean closes(ResponseHead answer) {
        return answer.values("Connection").stream().anyMatch(v -> v.strip().equalsIgnoreCase("close"));
    }

    /**
     * The adapted body: a failed read is the service's failure (or the origin's, when the writer stopped on it), and
     * closing it early drops the connection.
     */
    private final class AdaptedBody extends ReadFailureFilter {
        AdaptedBody(InputStream in) {
            super(in);
        }

        @Override
        protected IOException failed(IOException e) {
            release(false);
            return originFailure != null ? originFailure : IcapReplies.failure(e, "sending the adapted body");
        }

        @Override
        public void close() {
            try {
                super.close(); // a body not read to its end closes the connection through the chunked reader
            } catch (IOException ignored) {
                // dropped anyway
            }
            release(false); // no-op when the end was reached and the connection already went back
        }
    }

    /** Counts the bytes of the encapsulated head, to check them against the {@code Encapsulated} offsets. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }
    }
}
