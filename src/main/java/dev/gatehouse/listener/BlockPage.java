package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.Failure;
import dev.gatehouse.policy.Decision;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policy's 403 page for a request or a response a rule blocked: the rule, categories and reason as facts,
 * audited {@code TCP_DENIED} with the error name {@code policy_blocked} (the page's {@code {{error}}}). One page
 * for both phases, so a response rule's block looks and logs as a request rule's does.
 */
final class BlockPage {
    private final ErrorPages pages;

    BlockPage(ErrorPages pages) {
        this.pages = pages;
    }

    /**
     * Answers 403 for {@code decision}. {@code more}: facts added after the rule's ({@code Note}, a response's
     * {@code Content-Type}); the audit record's decision fields are the caller's.
     */
    void send(HttpServerExchange exchange, Decision decision, List<Map.Entry<String, String>> more) {
        AuditRecord record = Exchanges.record(exchange);
        record.setResultCode("TCP_DENIED");
        if (record.getHierarchy() == null) record.setHierarchy("HIER_NONE"); // a response rule keeps the origin it asked
        record.setError(Failure.POLICY_BLOCKED.auditName());
        List<Map.Entry<String, String>> facts = facts(decision);
        facts.addAll(more);
        send(exchange, 403, pages.render(PageLanguage.accepted(exchange), 403, Failure.POLICY_BLOCKED.auditName(), "Blocked by policy",
                Failure.POLICY_BLOCKED.explanation(), record.getUrl(), facts, record.getRequestId(), record.getClientAddress(),
                record.getUser(), ""));
    }

    /** The rule, categories and reason of {@code decision}, as a page's facts (a mutable list). */
    static List<Map.Entry<String, String>> facts(Decision decision) {
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("Rule", decision.ruleId()));
        if (!decision.categories().isEmpty()) facts.add(Map.entry("Category", String.join(", ", decision.categories())));
        if (decision.reason() != null) facts.add(Map.entry("Reason", decision.reason()));
        return facts;
    }

    static void send(HttpServerExchange exchange, int status, ErrorPages.Page page) {
        PageLanguage.describe(page, exchange.getResponseHeaders()::put);
        send(exchange, status, page.body());
    }

    static void send(HttpServerExchange exchange, int status, byte[] page) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(page));
    }
}
