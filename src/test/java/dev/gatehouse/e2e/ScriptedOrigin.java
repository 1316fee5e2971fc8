package dev.gatehouse.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The origin of {@link CacheConformanceIT}: answers each request under {@code /test/<id>/} from the script
 * registered for that id, choosing the step by the request's {@code Req-Num} field (so a request the cache
 * makes by itself, a background revalidation say, is answered with the step it belongs to), as the
 * community cache test suite's server does. It stamps every answer with {@code Server-Request-Count} (its
 * own count of requests for the id), {@code Client-Request-Count} (the step) and {@code Server-Now} (its
 * time, the test's clock), writes dates given as offsets from that time, and records what it received.
 *
 * <p>Written on a plain socket rather than MockWebServer so that repeated and odd header lines, a
 * {@code Content-Length} that the script sets, and closing instead of answering all go out exactly as
 * scripted.
 */
final class ScriptedOrigin implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * One request the origin received.
     *
     * @param headers       the request's fields, names lower-cased, repeated lines joined with ", "
     * @param checked       the response fields to compare with what the client got (the suite leaves out Date)
     * @param notConditional the step expected a conditional request matching the previous step's validator, and this was not one
     */
    record Seen(int reqNum, String method, Map<String, String> headers, Map<String, String> checked, boolean notConditional) {}

    private record Script(List<SuiteStep> steps, String defaultBody, List<Seen> seen, Map<Integer, List<String[]>> sent) {}

    private final Clock clock;
    private final ServerSocket server;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ScriptedOrigin(Clock clock) throws IOException {
        this.clock = clock;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-origin-accept").start(this::accept);
    }

    /** The absolute URL of {@code path} on this origin. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Answers requests under {@code /test/<id>} with {@code steps}; the default body is {@code defaultBody}. */
    void script(String id, List<SuiteStep> steps, String defaultBody) {
        scripts.put(id, new Script(steps, defaultBody, new CopyOnWriteArrayList<>(), new ConcurrentHashMap<>()));
    }

    /** What the origin received for {@code id}, in order of arrival. */
    List<Seen> seen(String id) {
        return List.copyOf(scripts.get(id).seen());
    }

    /** An HTTP date {@code offsetSeconds} from {@code nowMillis}, as the suite writes integer-valued date fields. */
    static String httpDate(long nowMillis, long offsetSeconds) {
        return HTTP_DATE.format(Instant.ofEpochMilli(nowMillis + offsetSeconds * 1000));
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread.ofVirtual().name("scripted-origin").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (true) {
                List<String> head = RawOrigin.readHead(in);
                if (head == null) return;
                RawOrigin.readBody(in, head);
                if (!answer(s.getOutputStream(), head)) return;
            }
        } catch (IOException e) {
            // the proxy closed the connection: nothing to answer
        }
    }

    /** Answers one request; false when the script said to close the connection instead. */
    private boolean answer(OutputStream out, List<String> head) throws IOException {
        String[] requestLine = head.getFirst().split(" ");
        String target = requestLine[1];
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String[] segments = path.split("/");
        Script script = segments.length > 2 && segments[1].equals("test") ? scripts.get(segments[2]) : null;
        if (script == null) {
            write(out, 404, List.of(), "no script for " + target, false);
            return true;
        }
        String reqNumField = RawOrigin.field(head, "Req-Num");
        int serverCount = script.seen().size() + 1;
        int reqNum = reqNumField == null ? serverCount : Integer.parseInt(reqNumField);
        if (reqNum < 1 || reqNum > script.steps().size()) {
            write(out, 409, List.of(), "no step " + reqNum, false);
            return true;
        }
        SuiteStep step = script.steps().get(reqNum - 1);
        long now = clock.millis();
        int status = step.responseStatus == null ? 200 : step.responseStatus;
        boolean notConditional = false;
        if (step.expectedType == SuiteStep.Type.LM_VALIDATED || step.expectedType == SuiteStep.Type.ETAG_VALIDATED) {
            boolean matched = matches(script, reqNum - 2, "Last-Modified", RawOrigin.field(head, "If-Modified-Since"))
                    || matches(script, reqNum - 2, "ETag", RawOrigin.field(head, "If-None-Match"));
            status = matched ? 304 : status;
            notConditional = !matched; // the suite answers 999 here; the test reports it instead
        }

        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Server-Base-Url", target});
        fields.add(new String[] {"Server-Request-Count", Integer.toString(serverCount)});
        fields.add(new String[] {"Client-Request-Count", Integer.toString(reqNum)});
        fields.add(new String[] {"Server-Now", Long.toString(now)});
        Map<String, String> checked = new LinkedHashMap<>();
        List<String[]> scripted = new ArrayList<>();
        for (SuiteStep.Field f : step.responseHeaders) {
            String value = fixUp(f, now, target, step.magicLocations);
            String[] field = {f.name(), value};
            fields.add(field);
            scripted.add(field);
            if (f.checked() && !f.name().equalsIgnoreCase("Date")) checked.merge(f.name(), value, (a, b) -> a + ", " + b);
        }
        script.sent().put(reqNum - 1, scripted);
        if (!has(fields, "Content-Type")) fields.add(new String[] {"Content-Type", "text/plain"});
        if (!has(fields, "Date")) fields.add(new String[] {"Date", httpDate(now, 0)});
        script.seen().add(new Seen(reqNum, requestLine[0], requestFields(head), checked, notConditional));
        fields.add(new String[] {"Request-Numbers", String.join(" ", script.seen().stream().map(r -> Integer.toString(r.reqNum())).toList())});
        if (step.disconnect) return false;

        boolean noBody = status == 204 || status == 304 || requestLine[0].equals("HEAD");
        String body = step.responseBody == null ? script.defaultBody() : step.responseBody;
        write(out, status, fields, noBody ? null : body, noBody);
        return true;
    }

    /** Whether {@code validator} equals the {@code field} the origin sent for step {@code index} (or the step's own value when it never went out). */
    private static boolean matches(Script script, int index, String field, String validator) {
        if (validator == null || index < 0) return false;
        List<String[]> sent = script.sent().get(index);
        if (sent != null) {
            return sent.stream().anyMatch(f -> f[0].equalsIgnoreCase(field) && f[1].equals(validator));
        }
        return script.steps().get(index).responseHeaders.stream()
                .anyMatch(f -> f.name().equalsIgnoreCase(field) && validator.equals(f.value()));
    }

    /** A date offset becomes a date; with magic locations, Location and Content-Location become paths under the target. */
    private static String fixUp(SuiteStep.Field f, long now, String target, boolean magicLocations) {
        if (f.value() instanceof Integer offset) return httpDate(now, offset);
        String value = (String) f.value();
        boolean location = f.name().equalsIgnoreCase("Location") || f.name().equalsIgnoreCase("Content-Location");
        if (magicLocations && location) return value.isEmpty() ? target : target + "/" + value;
        return value;
    }

    private static boolean has(List<String[]> fields, String name) {
        return fields.stream().anyMatch(f -> f[0].equalsIgnoreCase(name));
    }

    private static Map<String, String> requestFields(List<String> head) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            fields.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return fields;
    }

    /**
     * Writes a response. The body is framed by the scripted {@code Content-Length} (the body cut or padded to
     * it), by chunks when the script sends {@code Transfer-Encoding: chunked}, else by its own length.
     */
    private static void write(OutputStream out, int status, List<String[]> fields, String body, boolean noBody) throws IOException {
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(" Scripted\r\n");
        for (String[] f : fields) text.append(f[0]).append(": ").append(f[1]).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String length = fields.stream().filter(f -> f[0].equalsIgnoreCase("Content-Length")).map(f -> f[1]).findFirst().orElse(null);
        boolean chunked = fields.stream().anyMatch(f -> f[0].equalsIgnoreCase("Transfer-Encoding") && f[1].equalsIgnoreCase("chunked"));
        if (length != null) {
            content = java.util.Arrays.copyOf(content, Integer.parseInt(length));
        } else if (!chunked && !noBody) {
            text.append("Content-Length: ").append(content.length).append("\r\n");
        }
        text.append("\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (noBody) {
            // no content (RFC 9110 §6.4.1)
        } else if (chunked) {
            out.write((Integer.toHexString(content.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write(content);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
