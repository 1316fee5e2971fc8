package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.policy.PolicyHolder;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.RequestHeaders;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The policy on the admin listener: {@code POST /reload} (same as SIGHUP: build, validate, swap or keep
 * the running policy and report every problem) and {@code GET /explain?url=...} (the same decision trace
 * as {@code gatehouse explain}, as JSON; {@code client}, {@code user}, {@code group}, {@code method}, {@code header}
 * ({@code Name: value}, repeatable),
 * {@code at} optional; a {@code host:port} url is explained as CONNECT). Both run on a worker thread:
 * explain reads list files to name the matching line.
 */
final class PolicyEndpoints {
    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private final PolicyHolder holder;
    private final Supplier<PolicyHolder.ReloadResult> reload;
    private final BooleanSupplier reloadAuth;

    /**
     * @param holder     the running policy, or null when none is configured
     * @param reloadAuth re-reads the authentication files (false: refused), or null when there are none
     */
    PolicyEndpoints(PolicyHolder holder, Supplier<PolicyHolder.ReloadResult> reload, BooleanSupplier reloadAuth) {
        this.holder = holder;
        this.reload = reload;
        this.reloadAuth = reloadAuth;
    }

    void reload(HttpServerExchange ex) throws Exception {
        if (!ex.getRequestMethod().equals(Methods.POST)) {
            ex.getResponseHeaders().put(Headers.ALLOW, "POST");
            send(ex, 405, Map.of("error", "use POST /reload"));
            return;
        }
        if (holder == null && reloadAuth == null) {
            send(ex, 404, Map.of("error", "nothing to reload: no policy (policy.file) and no authentication files"));
            return;
        }
        // Like SIGHUP: the authentication files and the policy each reload, whether or not the other exists.
        Boolean auth = reloadAuth == null ? null : reloadAuth.getAsBoolean();
        PolicyHolder.ReloadResult r = holder == null ? null : reload.get();
        boolean applied = (r == null || r.applied()) && !Boolean.FALSE.equals(auth);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("applied", applied);
        if (r != null) {
            body.put("version", r.version());
            body.put("problems", r.problems().stream().map(Object::toString).toList());
        }
        if (auth != null) body.put("auth", auth);
        send(ex, applied ? 200 : 422, body);
    }

    void explain(HttpServerExchange ex) throws Exception {
        if (holder == null) {
            send(ex, 404, Map.of("error", "no policy is configured (policy.file)"));
            return;
        }
        String target = param(ex, "url", null);
        if (target == null) {
            send(ex, 400, Map.of("error", "explain needs ?url=http://host/path or ?url=host:port"));
            return;
        }
        try {
            InetAddress client = InetAddress.getByName(literal(param(ex, "client", "127.0.0.1")));
            Instant at = ex.getQueryParameters().containsKey("at") ? Instant.parse(param(ex, "at", null)) : Instant.now();
            String user = param(ex, "user", null);
            Deque<String> groupValues = ex.getQueryParameters().get("group");
            Set<String> groups = groupValues == null ? Set.of() : Set.copyOf(groupValues);
            Deque<String> headerValues = ex.getQueryParameters().get("header"); // "Name: value", repeatable
            RequestHeaders headers = RequestHeaders.of(headerValues == null ? List.of() : List.copyOf(headerValues));
            RequestFacts facts = target.contains("://")
                    ? RequestFacts.forUrl(null, target, param(ex, "method", "GET"), client, user, groups, at, headers)
                    : RequestFacts.forConnect(target, client, user, groups, at, headers);
            send(ex, 200, holder.current().explain(facts));
        } catch (UnknownHostException | DateTimeParseException | IllegalArgumentException e) { // incl. InvalidTargetException
            send(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** Only IP literals: resolving a name here would let an admin request trigger DNS lookups. */
    private static String literal(String client) throws UnknownHostException {
        if (!client.matches("[0-9.]+|[0-9A-Fa-f:.]+")) throw new UnknownHostException("client must be an IP address: " + client);
        return client;
    }

    private static String param(HttpServerExchange ex, String name, String fallback) {
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null || v.isEmpty() ? fallback : v.getFirst();
    }

    private static void send(HttpServerExchange ex, int status, Object body) throws Exception {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(JSON.writeValueAsString(body));
    }
}
