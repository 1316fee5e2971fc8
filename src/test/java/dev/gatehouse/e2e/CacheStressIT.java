package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cache.MutableClock;
import dev.gatehouse.e2e.VersionedOrigin.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded, seeded, randomised run of the shared cache end to end: a few client threads send GET, HEAD,
 * ranges, conditionals, POSTs and PURGEs, and leave mid-body, for a few URLs whose content the origin changes
 * as they go ({@link VersionedOrigin}: fresh, short-lived, no-cache, no-store, Vary, Last-Modified only,
 * bodies too large for the memory tier, and a flaky origin), while the cache's clock jumps ahead; the proxy is
 * restarted on the same data directory between phases. Whatever the interleaving, the invariants hold:
 * <ul>
 *   <li>a 200 is byte for byte the body of a version the origin served for that URL (and that variant), with that
 *       version's ETag, Last-Modified, X-Version and length: nothing mixes two versions; a 206 is the exact slice
 *       of one with its Content-Range; a HEAD has no body and a real version's fields; a 304 confirms a version
 *       the client holds;</li>
 *   <li>a no-store response is never served twice (each carries the origin's serial number);</li>
 *   <li>once a POST to a URL has been answered, a request for it that starts afterwards gets a version no older than
 *       the one the POST made (RFC 9111 §4.4); once a PURGE has been answered, none older than the origin had when
 *       the PURGE was sent. Fetches still in flight at the invalidation may answer their own clients with what they
 *       got, but neither store it nor hand it to a request that came later;</li>
 *   <li>the audit log has exactly one record per request a client made, aborted ones included, and nothing is
 *       logged above INFO ({@link GatehouseFixture#close()}).</li>
 * </ul>
 * An IOException or a 5xx is accepted only from the flaky URLs. Not asserted, because HTTP does not promise it:
 * that an answer is the newest version when no invalidation came in between (a cache serves what is fresh, and of
 * two fills of one URL the one that ends last is kept). The seed fixes each client's operations, not how they
 * interleave. Replay a run with {@code -Dgatehouse.stress.seed=N}; {@code -Dgatehouse.stress.ops=N} sets the
 * operations per client and phase.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CacheStressIT {
    private static final long SEED = Long.getLong("gatehouse.stress.seed", 20261207L);
    /** About 1,800 requests in all: some ten seconds on two cores. */
    private static final int OPS = Integer.getInteger("gatehouse.stress.ops", 150);
    private static final int CLIENTS = 4;
    /** Two restarts. */
    private static final int PHASES = 3;
    private static final int MAX_VIOLATIONS = 30;
    private static final String[] ENCODINGS = {null, "gzip", "br", "identity"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Resource FRESH = new Resource("/s/fresh", 6_000, "max-age=600", true, false, false, false, false);
    private static final List<Resource> RESOURCES = List.of(
            FRESH,
            new Resource("/s/short", 20_000, "max-age=5", true, false, false, false, false),
            new Resource("/s/nocache", 9_000, "no-cache", true, false, false, false, false),
            new Resource("/s/nostore", 7_000, "no-store", true, false, false, false, false),
            new Resource("/s/vary", 12_000, "max-age=30", true, false, true, true, false),
            new Resource("/s/lastmod", 30_000, null, false, true, false, true, false),
            // Over the memory tier's object limit (512 KiB here): stored on disk only.
            new Resource("/s/big", 3_000_000, "max-age=600", true, false, false, false, false),
            new Resource("/s/bigshort", 1_500_000, "max-age=5", true, true, false, false, false),
            new Resource("/s/flaky", 10_000, "max-age=5, stale-if-error=600", true, false, false, false, true),
            new Resource("/s/flakybig", 1_200_000, "max-age=5", true, false, false, false, true));

    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    /** Per path: the oldest version a request starting now may get (raised by answered POSTs and PURGEs). */
    private final Map<String, AtomicInteger> floors = new ConcurrentHashMap<>();
    /** "METHOD path" to the number of requests clients sent the proxy. */
    private final Map<String, LongAdder> requested = new ConcurrentHashMap<>();
    private final Set<String> noStoreSerials = ConcurrentHashMap.newKeySet();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private VersionedOrigin origin;
    private Path dataDir;

    @AfterEach
    void cleanUp() throws IOException {
        if (origin != null) origin.close();
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyAnswerIsExactlyAVersionTheOriginServedThroughChangesAbortsInvalidationsAndRestarts() throws Exception {
        try {
            run();
        } catch (Throwable t) {
            throw new AssertionError("seed " + SEED + " (replay: -Dgatehouse.stress.seed=" + SEED + "): " + t.getMessage(), t);
        }
    }

    private void run() throws Exception {
        origin = new VersionedOrigin(clock, SEED, RESOURCES);
        dataDir = Files.createTempDirectory("gatehouse-stress");
        RESOURCES.forEach(r -> floors.put(r.path(), new AtomicInteger()));
        List<JsonNode> records = List.of();
        for (int phase = 0; phase < PHASES; phase++) {
            GatehouseFixture proxy = GatehouseFixture.start(c -> {
                c.put("dataDir", dataDir.toString());
                c.putObject("cache").put("memoryObjectBytes", 512 * 1024).put("minFreeDiskBytes", 0);
            }, clock);
            Path audit = proxy.gatehouse().auditFile();
            try {
                runClients(proxy, phase);
                assertNoFetchLeftInFlight(proxy, "phase " + phase);
            } finally {
                proxy.close(); // drains, flushes the audit log, and fails on anything logged above INFO
            }
            records = readAudit(audit); // the whole run's: each start appends to the same file
            checkOneRecordPerRequest(records);
            assertNoViolations("phase " + phase, records);
        }
        Map<String, Integer> results = new TreeMap<>();
        records.forEach(r -> results.merge(r.get("result").asText(), 1, Integer::sum));
        System.out.println("CacheStressIT seed " + SEED + ": " + records.size() + " requests, results " + results);
    }

    /**
     * Once the clients are done, every lookup and cache writer has been closed, aborts and errors included: /stats
     * counts none in flight (bounded wait for background revalidations and range fills to end).
     */
    private static void assertNoFetchLeftInFlight(GatehouseFixture proxy, String when) throws Exception {
        HttpClient admin = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(10)).build();
        URI stats = URI.create("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/stats");
        int inFlight = -1;
        for (int i = 0; i < 500 && inFlight != 0; i++) {
            if (i > 0) GatehouseFixture.pause();
            String body = admin.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString()).body();
            inFlight = new ObjectMapper().readTree(body).path("cache").path("urisInFlight").asInt(-1);
        }
        assertEquals(0, inFlight, when + ": URIs still counted in flight after the clients finished");
    }

    private void runClients(GatehouseFixture proxy, int phase) throws Exception {
        HttpClient admin = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Client client = new Client(proxy, admin, new SplittableRandom(SEED * 1_000_003L + phase * 64L + c), "phase " + phase + " client " + c);
                running.add(threads.submit(client::run));
            }
            for (Future<?> f : running) f.get(240, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
            admin.shutdownNow();
        }
    }

    /** Fails with every violation, and the audit records of failed or cut-off accesses (not the clients' own leaving) to help read them. */
    private void assertNoViolations(String when, List<JsonNode> records) {
        if (violations.isEmpty()) return;
        List<String> failed = records.stream()
                .filter(r -> !r.get("error").isNull() && !r.get("error").asText().equals("client_aborted"))
                .map(r -> r.get("requestId").asText() + " " + accessed(r) + " " + r.get("status") + " " + r.get("result").asText()
                        + " " + r.get("error").asText() + " " + r.get("bytesToClient") + "B")
                .toList();
        throw new AssertionError(when + ": " + violations.size() + " violation(s):\n  " + String.join("\n  ", violations)
                + "\naudit records of failed accesses:\n  " + String.join("\n  ", failed));
    }

    /** "METHOD path" of an audit record, as {@link #requested} counts them. */
    private static String accessed(JsonNode record) {
        return record.get("method").asText() + " " + URI.create(record.get("url").asText()).getPath();
    }

    private static List<JsonNode> readAudit(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) out.add(JSON.readTree(line));
        }
        return out;
    }

    /** The audit log so far has one record per request made, counted by method and path. */
    private void checkOneRecordPerRequest(List<JsonNode> records) {
        Map<String, Long> logged = new TreeMap<>();
        records.forEach(r -> logged.merge(accessed(r), 1L, Long::sum));
        Set<String> accesses = new TreeSet<>(logged.keySet());
        accesses.addAll(requested.keySet());
        for (String access : accesses) {
            long made = requested.containsKey(access) ? requested.get(access).sum() : 0;
            long written = logged.getOrDefault(access, 0L);
            if (written != made) violations.add("audit log: " + written + " records of " + access + ", " + made + " such requests made");
        }
    }

    /** A response as either client saw it. */
    private record Got(int status, UnaryOperator<String> fields, byte[] body) {
        String header(String name) {
            return fields.apply(name);
        }

        @Override
        public String toString() {
            return status + " X-Version=" + header("X-Version") + " ETag=" + header("ETag") + " Content-Length="
                    + header("Content-Length") + " Content-Range=" + header("Content-Range") + " X-Cache=" + header("X-Cache")
                    + " body=" + body.length + "B";
        }

        static Got of(HttpResponse<byte[]> r) {
            return new Got(r.statusCode(), name -> r.headers().firstValue(name).orElse(null), r.body());
        }

        static Got of(RawConnection.Response r) {
            return new Got(r.status(), r::header, r.body());
        }
    }

    /** One client thread: its own random stream, and the versions it has seen (for its conditional requests). */
    private final class Client {
        private final GatehouseFixture proxy;
        private final HttpClient admin;
        private final SplittableRandom random;
        private final String name;
        private final Map<String, List<Integer>> seen = new HashMap<>();
        private int op;
        private String doing;

        Client(GatehouseFixture proxy, HttpClient admin, SplittableRandom random, String name) {
            this.proxy = proxy;
            this.admin = admin;
            this.random = random;
            this.name = name;
        }

        void run() {
            for (op = 0; op < OPS && violations.size() < MAX_VIOLATIONS; op++) {
                // The same draws whatever happens, so a seed replays the same operations.
                Resource r = RESOURCES.get(random.nextInt(RESOURCES.size()));
                String encoding = ENCODINGS[random.nextInt(ENCODINGS.length)];
                int kind = random.nextInt(100);
                int a = random.nextInt(1000);
                int b = random.nextInt(1000);
                try {
                    step(r, encoding, kind, a, b);
                } catch (IOException e) {
                    if (!r.flaky()) violation(r, "failed: " + e);
                } catch (Exception | AssertionError e) {
                    violation(r, "threw " + e);
                }
            }
        }

        private void step(Resource r, String encoding, int kind, int a, int b) throws Exception {
            if (kind < 34) {
                get(r, encoding, a < 100 ? "no-cache" : a < 150 ? "max-age=0" : null);
            } else if (kind < 44) {
                head(r, encoding);
            } else if (kind < 56) {
                range(r, encoding, a, b);
            } else if (kind < 66) {
                conditional(r, encoding, a);
            } else if (kind < 70) {
                post(r);
            } else if (kind < 73) {
                purge(r);
            } else if (kind < 75) {
                adminPurge(r);
            } else if (kind < 81) {
                doing = "origin change";
                origin.bump(r);
            } else if (kind < 87) {
                doing = "clock";
                synchronized (clock) {
                    clock.advanceSeconds(a < 50 ? 400 : 1 + a % 8);
                }
            } else {
                leaveMidBody(r, encoding, a);
            }
        }

        private void get(Resource r, String encoding, String cacheControl) throws Exception {
            doing = "GET" + (cacheControl == null ? "" : " Cache-Control: " + cacheControl) + encodingText(encoding);
            int floor = floor(r);
            HttpRequest.Builder request = request(r, encoding);
            if (cacheControl != null) request.header("Cache-Control", cacheControl);
            checkWhole(r, encoding, send("GET", r, request.GET()), floor);
        }

        /** HEAD on a raw connection, then a GET on the same one: a body after the HEAD would garble the GET's answer. */
        private void head(Resource r, String encoding) throws Exception {
            doing = "HEAD" + encodingText(encoding);
            int floor = floor(r);
            try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
                count("HEAD", r);
                Got head = Got.of(c.send(raw("HEAD", r, encoding)).readResponse(true));
                if (head.status() == 200) {
                    int v = version(r, encoding, head, floor);
                    String length = head.header("Content-Length");
                    if (v > 0 && length != null && Long.parseLong(length) != origin.body(r, v, variant(r, encoding)).length) {
                        violation(r, "HEAD's Content-Length is not v" + v + "'s length: " + head);
                    }
                } else if (!(r.flaky() && head.status() >= 500)) {
                    violation(r, "HEAD answered " + head);
                }
                doing = "GET after HEAD";
                int freshFloor = floor(FRESH);
                count("GET", FRESH);
                checkWhole(FRESH, null, Got.of(c.send(raw("GET", FRESH, null)).readResponse()), freshFloor);
            }
        }

        private void range(Resource r, String encoding, int a, int b) throws Exception {
            long min = r.minLength();
            long first = a * min / 1000;
            String spec = switch (a % 3) {
                case 0 -> "bytes=" + first + "-" + (first + b * (min - 1 - first) / 1000);
                case 1 -> "bytes=" + first + "-";
                default -> "bytes=-" + (1 + b * (min - 1) / 1000);
            };
            doing = "GET Range: " + spec + encodingText(encoding);
            int floor = floor(r);
            Got got = send("GET", r, request(r, encoding).header("Range", spec).GET());
            if (got == null || got.status() != 206) {
                checkWhole(r, encoding, got, floor);
                return;
            }
            int v = version(r, encoding, got, floor);
            if (v < 0) return;
            byte[] body = origin.body(r, v, variant(r, encoding));
            long[] slice = VersionedOrigin.ByteRanges.parse(spec, body.length);
            String contentRange = "bytes " + slice[0] + "-" + slice[1] + "/" + body.length;
            if (!contentRange.equals(got.header("Content-Range"))) {
                violation(r, "206 with Content-Range " + got.header("Content-Range") + ", v" + v + " needs " + contentRange);
            } else if (!Arrays.equals(got.body(), Arrays.copyOfRange(body, (int) slice[0], (int) slice[1] + 1))) {
                violation(r, "206 body is not that slice of v" + v + ": " + got);
            }
        }

        /** If-None-Match (or If-Modified-Since without an ETag) naming a version this client saw, or one that never was. */
        private void conditional(Resource r, String encoding, int pick) throws Exception {
            List<Integer> mine = seen.getOrDefault(r.path() + " " + variant(r, encoding), List.of());
            int held = mine.isEmpty() ? -1 : mine.get(pick % mine.size());
            String field = r.etag() ? "If-None-Match" : "If-Modified-Since";
            String value = r.etag() ? (held < 0 ? "\"never\"" : origin.etag(r, held, variant(r, encoding)))
                    : held < 0 ? "Thu, 01 Jan 1998 00:00:00 GMT" : origin.lastModified(r, held);
            doing = "GET " + field + ": " + value + encodingText(encoding);
            int floor = floor(r);
            Got got = send("GET", r, request(r, encoding).header(field, value).GET());
            if (got == null || got.status() != 304) {
                checkWhole(r, encoding, got, floor);
                return;
            }
            checkNotReused(r, got);
            if (held < 0) {
                violation(r, "304 to a validator no version has: " + got);
                return;
            }
            String etag = got.header("ETag");
            String xVersion = got.header("X-Version");
            if (r.etag() && etag != null && !etag.equals(value)) violation(r, "304 with another ETag: " + got);
            if (xVersion != null && Integer.parseInt(xVersion) != held) violation(r, "304 confirming v" + held + " says " + got);
            if (held < floor) violation(r, "304 confirms v" + held + " after an invalidation that left at least v" + floor);
        }

        private void post(Resource r) throws Exception {
            doing = "POST";
            Got got = send("POST", r, request(r, null).POST(HttpRequest.BodyPublishers.ofString("change=1")));
            if (got == null) return;
            String made = got.header("X-Version");
            if (got.status() != 200 || made == null || !new String(got.body(), StandardCharsets.US_ASCII).equals("posted v" + made)) {
                violation(r, "POST answered " + got);
                return;
            }
            // Answered: every request from now on must see the invalidation (RFC 9111 §4.4).
            floors.get(r.path()).accumulateAndGet(Integer.parseInt(made), Math::max);
        }

        private void purge(Resource r) throws Exception {
            doing = "PURGE";
            int current = origin.version(r);
            Got got = send("PURGE", r, request(r, null).method("PURGE", HttpRequest.BodyPublishers.noBody()));
            if (got == null) return;
            if (got.status() != 200 && got.status() != 404) {
                violation(r, "PURGE answered " + got);
                return;
            }
            floors.get(r.path()).accumulateAndGet(current, Math::max);
        }

        private void adminPurge(Resource r) throws Exception {
            doing = "admin purge";
            int current = origin.version(r);
            URI purge = URI.create("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/purge?url="
                    + URLEncoder.encode(origin.url(r), StandardCharsets.UTF_8));
            HttpResponse<String> got = admin.send(HttpRequest.newBuilder(purge).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (got.statusCode() != 200 && got.statusCode() != 404) {
                violation(r, "admin purge answered " + got.statusCode() + " " + got.body());
                return;
            }
            floors.get(r.path()).accumulateAndGet(current, Math::max);
        }

        /** A raw client reads the head and part of the body, then resets the connection (a cancelled download). */
        private void leaveMidBody(Resource r, String encoding, int share) throws Exception {
            doing = "GET, leaving mid-body" + encodingText(encoding);
            int floor = floor(r);
            try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
                count("GET", r);
                Got head = Got.of(c.send(raw("GET", r, encoding)).readHead());
                if (head.status() != 200) {
                    if (!(r.flaky() && head.status() >= 500)) violation(r, "answered " + head);
                    return;
                }
                int v = version(r, encoding, head, floor);
                int want = (int) (r.minLength() * (share / 1000.0));
                byte[] part = c.input().readNBytes(want);
                boolean plain = head.header("Content-Length") != null && head.header("Transfer-Encoding") == null;
                if (v > 0 && plain && !Arrays.equals(part, Arrays.copyOf(origin.body(r, v, variant(r, encoding)), part.length))) {
                    violation(r, "the first " + part.length + " bytes are not v" + v + "'s");
                }
                c.socket().setSoLinger(true, 0);
            }
        }

        /** Checks an answer that should be a whole response: a 200 of a real version, or (flaky URLs) an error. */
        private void checkWhole(Resource r, String encoding, Got got, int floor) {
            if (got == null) return; // failed, and judged so
            if (got.status() != 200) {
                if (!(r.flaky() && got.status() >= 500)) violation(r, "answered " + got);
                return;
            }
            int v = version(r, encoding, got, floor);
            if (v < 0) return;
            byte[] body = origin.body(r, v, variant(r, encoding));
            String length = got.header("Content-Length");
            if (length != null && Long.parseLong(length) != body.length) {
                violation(r, "Content-Length is not v" + v + "'s length " + body.length + ": " + got);
            }
            if (!Arrays.equals(got.body(), body)) violation(r, "the body is not v" + v + "'s: " + got + ", starts " + label(got.body()));
        }

        /**
         * The version an answer names (X-Version), checked against everything else that names it; -1 when it names
         * none. Remembers it for this client's conditional requests.
         */
        private int version(Resource r, String encoding, Got got, int floor) {
            String xVersion = got.header("X-Version");
            if (xVersion == null) {
                violation(r, "no X-Version: " + got);
                return -1;
            }
            int v = Integer.parseInt(xVersion);
            String variant = variant(r, encoding);
            if (!origin.served(r, v)) violation(r, "v" + v + " was never served: " + got);
            if (r.etag() && !origin.etag(r, v, variant).equals(got.header("ETag"))) violation(r, "ETag is not v" + v + "'s: " + got);
            if (r.lastModified() && !origin.lastModified(r, v).equals(got.header("Last-Modified"))) {
                violation(r, "Last-Modified " + got.header("Last-Modified") + " is not v" + v + "'s " + origin.lastModified(r, v));
            }
            if (r.vary() && !variant.equals(got.header("X-Variant"))) violation(r, "the variant for " + got.header("X-Variant") + ": " + got);
            if (v < floor) violation(r, "v" + v + " after an invalidation that left at least v" + floor + ": " + got);
            checkNotReused(r, got);
            seen.computeIfAbsent(r.path() + " " + variant, k -> new ArrayList<>()).add(v);
            return v;
        }

        /** A no-store answer comes from the origin each time: its serial number is new. */
        private void checkNotReused(Resource r, Got got) {
            if ("no-store".equals(r.cacheControl()) && !noStoreSerials.add(String.valueOf(got.header("X-Origin-Serial")))) {
                violation(r, "a no-store answer was served again: origin serial " + got.header("X-Origin-Serial"));
            }
        }

        private Got send(String method, Resource r, HttpRequest.Builder request) throws InterruptedException {
            count(method, r);
            try {
                return Got.of(proxy.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
            } catch (IOException e) {
                if (!r.flaky()) violation(r, "failed: " + e);
                return null;
            }
        }

        private HttpRequest.Builder request(Resource r, String encoding) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin.url(r))).timeout(Duration.ofSeconds(30));
            if (encoding != null) request.header("Accept-Encoding", encoding);
            return request;
        }

        private String raw(String method, Resource r, String encoding) {
            return method + " " + origin.url(r) + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n"
                    + (encoding == null ? "" : "Accept-Encoding: " + encoding + "\r\n") + "\r\n";
        }

        private void count(String method, Resource r) {
            requested.computeIfAbsent(method + " " + r.path(), k -> new LongAdder()).increment();
        }

        private int floor(Resource r) {
            return floors.get(r.path()).get();
        }

        private void violation(Resource r, String what) {
            violations.add(name + " op " + op + " (" + doing + " " + r.path() + "): " + what);
        }
    }

    private static String variant(Resource r, String encoding) {
        return VersionedOrigin.variant(r, encoding);
    }

    private static String encodingText(String encoding) {
        return encoding == null ? "" : " Accept-Encoding: " + encoding;
    }

    /** The first line of a body, where the origin names the resource, version and variant. */
    private static String label(byte[] body) {
        int end = 0;
        while (end < Math.min(body.length, 80) && body[end] != '\n') end++;
        return "\"" + new String(body, 0, end, StandardCharsets.ISO_8859_1) + "\"";
    }
}
