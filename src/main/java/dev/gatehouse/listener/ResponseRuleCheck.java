package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.ByteRange;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyHolder;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.ResponseFacts;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place the policy's response rules (Squid's {@code http_reply_access}) are applied: to an origin's
 * response head before any of it goes to the client or into the store ({@link OriginRelay}, for HTTP and FTP
 * alike), and to every response the cache answers with ({@link StoredResponder}: a hit is checked against the
 * running policy, which may have changed since it was stored). A block answers the policy's 403 page
 * ({@link BlockPage}) in place of the response.
 *
 * <p>Cheap by design: with no response rules in the running policy a check is one read of the policy
 * reference; with some, it allocates the facts and an evaluation state, no copy of a field, and never blocks
 * (memory hits are checked on the IO thread). CONNECT tunnels never come here: no response head is visible.
 */
final class ResponseRuleCheck {
    /** For a chain without a policy: never blocks. */
    static final ResponseRuleCheck NONE = new ResponseRuleCheck(null, null);

    private final PolicyHolder policy;
    private final BlockPage page;

    ResponseRuleCheck(PolicyHolder policy, BlockPage page) {
        this.policy = policy;
        this.page = page;
    }

    /**
     * An origin's response head arrived: answers the block page instead and returns true if a rule blocks it.
     * The caller then closes the response unread, which drops the origin connection (reading a body nobody
     * wants could take as long as the download); nothing has been stored.
     */
    boolean blockedFromOrigin(HttpServerExchange exchange, UpstreamResponse response) {
        Policy current = running(exchange, response.status());
        if (current == null) return false;
        CacheHeaders headers = CacheFields.of(response.headers());
        return blocked(exchange, current, response.status(), headers.first("Content-Type"), declaredLength(response.status(), headers));
    }

    /**
     * The cache is about to answer with a stored response (a hit, a collapsed follower's copy, a revalidated
     * entry): answers the block page instead and returns true if a rule blocks it.
     *
     * @param wholeLength the stored body's whole length, or -1 while it is still arriving with none declared
     */
    boolean blockedFromStore(HttpServerExchange exchange, int status, CacheHeaders headers, long wholeLength) {
        Policy current = running(exchange, status);
        if (current == null) return false;
        return blocked(exchange, current, status, headers.first("Content-Type"), wholeLength);
    }

    /** The running policy if it has response rules and the response is one they decide; else null. */
    private Policy running(HttpServerExchange exchange, int status) {
        if (policy == null) return null;
        Policy current = policy.current();
        // 1xx are interim; a 304 carries no content (RFC 9110 §15.4.5): there is nothing to refuse the client.
        if (!current.hasResponseRules() || status < 200 || status == 304) return null;
        return current;
    }

    private boolean blocked(HttpServerExchange exchange, Policy current, int status, String contentType, long length) {
        // Kept by PolicyHandler when the policy it decided with had response rules; one decided before a reload
        // that added the first ones is let through (that reload's race only).
        RequestFacts facts = exchange.getAttachment(PolicyHandler.FACTS);
        if (facts == null) return false;
        Decision decision = current.decideResponse(facts, new ResponseFacts(status, contentType, length));
        if (decision == null || decision.action() != Action.BLOCK) return false;
        AuditRecord record = Exchanges.record(exchange);
        record.setDecision(decision.action().label());
        record.setRule(decision.ruleId());
        record.setCategories(decision.categories());
        record.setPolicyVersion(decision.policyVersion());
        if (!decision.tags().isEmpty()) record.setTags(append(record.getTags(), decision.tags()));
        exchange.getResponseHeaders().clear();
        page.send(exchange, decision, responseFacts(contentType, length));
        return true;
    }

    /** What the page says of the response: its type and declared size, so the user knows what was refused. */
    private static List<Map.Entry<String, String>> responseFacts(String contentType, long length) {
        List<Map.Entry<String, String>> facts = new ArrayList<>(2);
        if (contentType != null) facts.add(Map.entry("Content-Type", contentType));
        if (length >= 0) facts.add(Map.entry("Size", length + " bytes"));
        return facts;
    }

    /**
     * The whole representation's length the head declares: a 206's complete length from {@code Content-Range}
     * (RFC 9110 §14.4), so a big file cannot be fetched in small ranges past a size rule; else
     * {@code Content-Length}; -1 when it declares none.
     */
    static long declaredLength(int status, CacheHeaders headers) {
        if (status == 206) {
            long complete = ByteRange.completeLength(headers.first("Content-Range"));
            if (complete >= 0) return complete;
        }
        return CacheFields.contentLength(headers);
    }

    private static List<String> append(List<String> tags, List<String> more) {
        List<String> all = new ArrayList<>(tags == null ? List.of() : tags);
        all.addAll(more);
        return all;
    }
}
