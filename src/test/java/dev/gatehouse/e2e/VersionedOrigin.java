package dev.gatehouse.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin of {@link CacheStressIT}: a few resources whose content changes version over time (on a POST to
 * them, or when the test says so). A body is a function of (resource, version, variant) alone, and every answer
 * names its version in {@code X-Version}, in its {@code ETag} and {@code Last-Modified} where the resource has
 * them, so a test can tell whether what a client got is exactly something this origin served, and which. It keeps
 * the versions it served per resource, and numbers every answer ({@code X-Origin-Serial}).
 *
 * <p>It honours {@code If-None-Match}, {@code If-Modified-Since} and a single {@code Range}, answers HEAD
 * without a body, and, for a flaky resource, sometimes fails: a 503, a body cut off halfway, or no answer. Any
 * body may come slowly, in pieces, so that fetches overlap. Dates are the test's clock.
 */
final class VersionedOrigin implements AutoCloseable {
    /**
     * One URL and how it is served.
     *
     * @param cacheControl the Cache-Control value, or null for none
     * @param chunked      odd versions are sent chunked (no Content-Length), even ones with a length
     * @param flaky        GETs sometimes fail
     */
    record Resource(String path, int baseLength, String cacheControl, boolean etag, boolean lastModified, boolean vary,
                    boolean chunked, boolean flaky) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** The shortest body any version has: ranges below it are satisfiable for every version. */
        int minLength() {
            return baseLength;
        }
    }

    /** What the origin does with a GET it would answer. */
    private enum Delivery { WHOLE, SLOW, CUT_OFF, ERROR, NO_ANSWER }

    private static final long MAX_MEMO_BYTES = 48L << 20;

    private final Clock clock;
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final SplittableRandom faults;
    private final AtomicLong serial = new AtomicLong();
    private final RawOrigin server;
    /** Bodies made lately, least recently used first; bounded in bytes. */
    private final LinkedHashMap<String, byte[]> bodies = new LinkedHashMap<>(16, 0.75f, true);
    private long memoBytes;

    private static final class State {
        final AtomicInteger version = new AtomicInteger(1);
        final Set<Integer> served = ConcurrentHashMap.newKeySet();
        final Map<Integer, Long> lastModified = new ConcurrentHashMap<>();
    }

    VersionedOrigin(Clock clock, long seed, List<Resource> served) throws IOException {
        this.clock = clock;
        this.faults = new SplittableRandom(seed);
        for (Resource r : served) {
            resources.put(r.path(), r);
            State state = new State();
            state.lastModified.put(1, (clock.millis() / 1000 - 600) * 1000);
            states.put(r.path(), state);
        }
        this.server = new RawOrigin((socket, index, o) -> serve(socket));
    }

    String url(Resource r) {
        return server.url(r.path());
    }

    int port() {
        return server.port();
    }

    /** The version a request would get now. */
    int version(Resource r) {
        return states.get(r.path()).version.get();
    }

    /** Whether the origin ever answered a GET or HEAD of {@code r} with {@code version} (or a 304 confirming it). */
    boolean served(Resource r, int version) {
        return states.get(r.path()).served.contains(version);
    }

    /** Changes the content: the next request gets a new version; returns it. */
    int bump(Resource r) {
        State state = states.get(r.path());
        synchronized (state) {
            int next = state.version.get() + 1;
            // Strictly increasing, so If-Modified-Since tells every version apart.
            long lastModified = Math.max(state.lastModified.get(next - 1) + 1000, clock.millis() / 1000 * 1000);
            state.lastModified.put(next, lastModified);
            state.version.set(next);
            return next;
        }
    }

    /** The variant a request selects: its Accept-Encoding for a resource that varies on it, "-" otherwise. */
    static String variant(Resource r, String acceptEncoding) {
        if (!r.vary()) return "-";
        return acceptEncoding == null ? "none" : acceptEncoding.trim();
    }

    String etag(Resource r, int version, String variant) {
        return "\"" + r.name() + "-v" + version + (r.vary() ? "-" + variant : "") + "\"";
    }

    String lastModified(Resource r, int version) {
        return ScriptedOrigin.httpDate(states.get(r.path()).lastModified.get(version), 0);
    }

    /** The body of {@code version} of {@code r} for {@code variant}: its own length and bytes, named in its first line. */
    byte[] body(Resource r, int version, String variant) {
        String key = r.path() + " v" + version + " " + variant;
        synchronized (bodies) {
            byte[] made = bodies.get(key);
            if (made != null) return made;
        }
        long seed = (r.path().hashCode() * 1_000_003L + version) * 31 + variant.hashCode();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] body = new byte[r.baseLength() + random.nextInt(4096)];
        random.nextBytes(body);
        byte[] label = (key + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, body, 0, Math.min(label.length, body.length));
        synchronized (bodies) {
            if (bodies.put(key, body) == null) memoBytes += body.length;
            var eldest = bodies.entrySet().iterator();
            while (memoBytes > MAX_MEMO_BYTES && eldest.hasNext()) {
                memoBytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }
        return body;
    }

    /** Answers the requests on one connection in turn (RawOrigin closes it when this returns). */
    private void serve(Socket s) {
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (true) {
                List<String> head = RawOrigin.readHead(in);
                if (head == null) return;
                RawOrigin.readBody(in, head);
                boolean keepOpen = answer(out, head);
                out.flush();
                if (!keepOpen) return;
            }
        } catch (IOException e) {
            // the proxy closed the connection
        }
    }

    /** Answers one request; false when the connection must be closed (nothing answered, or a body cut off). */
    private boolean answer(OutputStream out, List<String> head) throws IOException {
        String[] requestLine = head.getFirst().split(" ");
        String method = requestLine[0];
        String target = requestLine[1];
        Resource r = resources.get(target.contains("?") ? target.substring(0, target.indexOf('?')) : target);
        long now = clock.millis();
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Date", ScriptedOrigin.httpDate(now, 0)});
        fields.add(new String[] {"X-Origin-Serial", Long.toString(serial.incrementAndGet())});
        if (r == null || !(method.equals("GET") || method.equals("HEAD") || method.equals("POST"))) {
            return write(out, 404, fields, "no such resource".getBytes(StandardCharsets.US_ASCII), Delivery.WHOLE, false, false);
        }
        if (method.equals("POST")) {
            int version = bump(r);
            fields.add(new String[] {"Cache-Control", "no-store"});
            fields.add(new String[] {"X-Version", Integer.toString(version)});
            return write(out, 200, fields, ("posted v" + version).getBytes(StandardCharsets.US_ASCII), Delivery.WHOLE, false, false);
        }
        Delivery delivery = method.equals("GET") ? delivery(r) : Delivery.WHOLE;
        if (delivery == Delivery.NO_ANSWER) return false;
        if (delivery == Delivery.ERROR) {
            return write(out, 503, fields, "the origin is having a bad moment".getBytes(StandardCharsets.US_ASCII), Delivery.WHOLE, false, false);
        }
        State state = states.get(r.path());
        int version = state.version.get();
        String variant = variant(r, RawOrigin.field(head, "Accept-Encoding"));
        state.served.add(version);
        if (r.cacheControl() != null) fields.add(new String[] {"Cache-Control", r.cacheControl()});
        if (r.etag()) fields.add(new String[] {"ETag", etag(r, version, variant)});
        if (r.lastModified()) fields.add(new String[] {"Last-Modified", lastModified(r, version)});
        if (r.vary()) {
            fields.add(new String[] {"Vary", "Accept-Encoding"});
            fields.add(new String[] {"X-Variant", variant});
        }
        fields.add(new String[] {"X-Version", Integer.toString(version)});
        if (notModified(r, version, variant, RawOrigin.field(head, "If-None-Match"), RawOrigin.field(head, "If-Modified-Since"))) {
            return write(out, 304, fields, null, Delivery.WHOLE, true, false);
        }
        fields.add(new String[] {"Content-Type", "application/octet-stream"});
        byte[] body = body(r, version, variant);
        String range = method.equals("GET") ? RawOrigin.field(head, "Range") : null;
        long[] slice = range == null ? null : ByteRanges.parse(range, body.length);
        boolean noBody = method.equals("HEAD");
        if (slice == null) {
            return write(out, 200, fields, body, delivery, noBody, r.chunked() && version % 2 == 1 && !noBody);
        }
        if (slice.length == 0) {
            fields.add(new String[] {"Content-Range", "bytes */" + body.length});
            return write(out, 416, fields, new byte[0], Delivery.WHOLE, false, false);
        }
        fields.add(new String[] {"Content-Range", "bytes " + slice[0] + "-" + slice[1] + "/" + body.length});
        return write(out, 206, fields, Arrays.copyOfRange(body, (int) slice[0], (int) slice[1] + 1), delivery, false, false);
    }

    private Delivery delivery(Resource r) {
        int roll;
        synchronized (faults) {
            roll = faults.nextInt(100);
        }
        if (r.flaky()) {
            if (roll < 12) return Delivery.ERROR;
            if (roll < 22) return Delivery.CUT_OFF;
            if (roll < 26) return Delivery.NO_ANSWER;
        }
        return roll >= 88 ? Delivery.SLOW : Delivery.WHOLE;
    }

    /** RFC 9110 §13.1.2-3: If-None-Match decides when present; else If-Modified-Since, for a resource with Last-Modified. */
    private boolean notModified(Resource r, int version, String variant, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            if (!r.etag()) return false;
            String current = etag(r, version, variant);
            return Arrays.stream(ifNoneMatch.split(",")).map(String::trim).anyMatch(t -> t.equals(current) || t.equals("*"));
        }
        if (ifModifiedSince == null || !r.lastModified()) return false;
        try {
            long since = java.time.ZonedDateTime.parse(ifModifiedSince, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant().toEpochMilli();
            return states.get(r.path()).lastModified.get(version) <= since;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /**
     * Writes a response: {@code body} whole, chunked or with a Content-Length; slowly, in pieces; or cut off
     * halfway (then false: the connection is closed). {@code noBody}: the head only, with the length the body has.
     */
    private static boolean write(OutputStream out, int status, List<String[]> fields, byte[] body, Delivery delivery,
                                 boolean noBody, boolean chunked) throws IOException {
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(status == 304 ? " Not Modified" : " Versioned").append("\r\n");
        for (String[] f : fields) text.append(f[0]).append(": ").append(f[1]).append("\r\n");
        if (chunked) {
            text.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (noBody || body == null) return true;
        int end = delivery == Delivery.CUT_OFF ? body.length / 2 : body.length;
        int piece = delivery == Delivery.WHOLE ? body.length : Math.max(1024, body.length / 16);
        for (int at = 0; at < end; at += piece) {
            int n = Math.min(piece, end - at);
            if (chunked) out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            if (chunked) out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (delivery != Delivery.WHOLE) {
                out.flush();
                pause();
            }
        }
        if (delivery == Delivery.CUT_OFF) return false;
        if (chunked) out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Single byte ranges (RFC 9110 §14.1.2), for the origin and for the test's checks alike. */
    static final class ByteRanges {
        private ByteRanges() {
        }

        /**
         * {@code [first, last]} of a body of {@code length} bytes for a {@code bytes=} range of one part; an empty
         * array when unsatisfiable; null when it is not one such range (the whole body is the answer).
         */
        static long[] parse(String range, long length) {
            if (!range.startsWith("bytes=") || range.contains(",")) return null;
            String spec = range.substring(6).trim();
            int dash = spec.indexOf('-');
            if (dash < 0) return null;
            try {
                if (dash == 0) {
                    long suffix = Long.parseLong(spec.substring(1));
                    if (suffix == 0 || length == 0) return new long[0];
                    return new long[] {length - Math.min(suffix, length), length - 1};
                }
                long first = Long.parseLong(spec.substring(0, dash));
                long last = dash == spec.length() - 1 ? length - 1 : Long.parseLong(spec.substring(dash + 1));
                if (last < first) return null;
                if (first >= length) return new long[0];
                return new long[] {first, Math.min(last, length - 1)};
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
