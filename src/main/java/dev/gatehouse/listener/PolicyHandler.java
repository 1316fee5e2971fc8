package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.auth.Identity;
import dev.gatehouse.http.ErrorPage;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.RequestHeaders;
import dev.gatehouse.policy.PolicyHolder;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the policy about every proxied request before any upstream connection is made: CONNECT by host
 * and port only, plain HTTP by the whole URL. {@code block} answers 403 with a page naming the rule,
 * categories and reason; {@code warn} answers an interstitial whose "continue" link carries a signed
 * token that grants that client a short allowance for that host ({@link WarnAllowances}); {@code redirect}
 * answers 302 to the rule's location. Tunnels cannot show a page or follow a redirect (browsers hide CONNECT
 * error bodies), so a warn without an allowance, or a redirect, blocks them.
 */
final class PolicyHandler implements HttpHandler {
    /** The audit record's error name for a warn page, and its {@code {{error}}} in a page template. */
    private static final String WARNED = "policy_warned";
    /** The decision, for later links (the cache honours its bypass setting). */
    static final AttachmentKey<Decision> DECISION = AttachmentKey.create(Decision.class);
    /** The request's facts, kept for the response rules ({@link ResponseRuleCheck}) when the policy has any. */
    static final AttachmentKey<RequestFacts> FACTS = AttachmentKey.create(RequestFacts.class);

    private final HttpHandler next;
    private final PolicyHolder policy;
    private final WarnAllowances allowances;
    private final ErrorResponder errors;
    private final ErrorPages pages;
    private final BlockPage blockPage;

    PolicyHandler(HttpHandler next, PolicyHolder policy, WarnAllowances allowances, ErrorResponder errors, ErrorPages pages) {
        this.next = next;
        this.policy = policy;
        this.allowances = allowances;
        this.errors = errors;
        this.pages = pages;
        this.blockPage = new BlockPage(pages);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        AuditRecord record = Exchanges.record(exchange);
        boolean tunnel = Exchanges.isConnect(exchange);
        InetAddress client = exchange.getSourceAddress().getAddress();
        String token = tunnel ? null : continueToken(exchange);
        String url = token == null ? record.getUrl() : withoutToken(record.getUrl());
        Identity identity = exchange.getAttachment(ProxyAuthHandler.IDENTITY);
        Set<String> groups = identity == null ? Set.of() : identity.groups();
        // The listener split the whole URL; with the continue token cut out of the text, only the text will do.
        RequestTarget split = token == null ? exchange.getAttachment(Exchanges.TARGET) : null;
        Policy current = policy.current(); // one policy for the request's decision and what it keeps for the response
        // A view of the fields Undertow parsed, never a copy; none at all when no rule reads a field.
        HeaderMap fields = exchange.getRequestHeaders();
        RequestHeaders headers = current.headerNames().isEmpty() ? RequestHeaders.NONE : fields::get;
        RequestFacts facts;
        try {
            facts = tunnel
                    ? RequestFacts.forConnect(exchange.getRequestURI(), client, record.getUser(), groups, Instant.now(), headers)
                    : RequestFacts.forUrl(split, url, exchange.getRequestMethod().toString(), client, record.getUser(), groups,
                            Instant.now(), headers);
        } catch (InvalidTargetException e) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, e.getMessage());
            return;
        }
        Decision decision = current.decide(facts);
        if (!tunnel && current.hasResponseRules()) exchange.putAttachment(FACTS, facts); // a tunnel shows no response head
        record.setDecision(decision.action().label());
        record.setRule(decision.ruleId());
        record.setCategories(decision.categories());
        record.setPolicyVersion(decision.policyVersion());
        record.setTags(decision.tags());
        exchange.putAttachment(DECISION, decision);

        if (decision.action() == Action.ALLOW) { // the common case, without the warn bookkeeping's strings
            next.handleRequest(exchange);
            return;
        }
        String clientKey = client.getHostAddress();
        String host = facts.target().host().toString();
        if (decision.action() == Action.WARN && token != null) {
            if (allowances.redeem(clientKey, host, token, System.currentTimeMillis())) {
                redirect(exchange, record, url); // back to the URL without the token, now allowed
            } else {
                blockPage(exchange, decision, "The continue link has expired or is not valid for this computer.");
            }
            return;
        }
        switch (decision.action()) {
            case ALLOW -> next.handleRequest(exchange);
            case BLOCK -> blockPage(exchange, decision, null);
            // Browsers ignore the headers of a non-2xx answer to CONNECT (RFC 9110 §9.3.6): refuse it as a block.
            case REDIRECT -> {
                if (tunnel) {
                    blockPage(exchange, decision, null);
                } else {
                    policyRedirect(exchange, decision.location().expand(facts, decision));
                }
            }
            case WARN -> {
                if (allowances.allowed(clientKey, host)) {
                    record.setTags(append(decision.tags(), "warn_continued"));
                    next.handleRequest(exchange);
                } else if (tunnel) {
                    blockPage(exchange, decision, null);
                } else {
                    warnPage(exchange, decision, url, allowances.token(clientKey, host, System.currentTimeMillis()));
                }
            }
        }
    }

    private void blockPage(HttpServerExchange exchange, Decision decision, String note) {
        blockPage.send(exchange, decision, note == null ? List.of() : List.of(Map.entry("Note", note)));
    }

    private void warnPage(HttpServerExchange exchange, Decision decision, String url, String token) {
        AuditRecord record = Exchanges.record(exchange);
        record.setResultCode("TCP_DENIED");
        record.setHierarchy("HIER_NONE");
        record.setError(WARNED);
        String continueUrl = url + (url.indexOf('?') >= 0 ? "&" : "?") + WarnAllowances.PARAMETER + "="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String form = "<p><a href=\"" + ErrorPage.escape(continueUrl) + "\">Continue to the site</a> "
                + "(your visit is logged).</p>\n";
        BlockPage.send(exchange, 403, pages.render(PageLanguage.accepted(exchange), 403, WARNED, "Are you sure?", "This site is discouraged by your organisation's policy.",
                url, BlockPage.facts(decision), record.getRequestId(), record.getClientAddress(), record.getUser(), form));
    }

    /**
     * {@code 302 Found} to the rule's location (RFC 9110 §15.4.3), logged as Squid logs a redirecting helper's
     * answer ({@code TCP_REDIRECT/302}); the small page is for clients that do not follow redirects.
     */
    private static void policyRedirect(HttpServerExchange exchange, String location) {
        AuditRecord record = Exchanges.record(exchange);
        record.setResultCode("TCP_REDIRECT");
        record.setHierarchy("HIER_NONE");
        String link = ErrorPage.escape(location);
        byte[] page = ("<!DOCTYPE html>\n<html><head><title>Redirected by policy</title></head><body>\n"
                + "<p>Your organisation's policy sends this request to <a href=\"" + link + "\">" + link + "</a>.</p>\n"
                + "</body></html>\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        BlockPage.send(exchange, 302, page);
    }

    private static void redirect(HttpServerExchange exchange, AuditRecord record, String url) {
        record.setResultCode("TCP_DENIED");
        record.setTags(append(record.getTags(), "warn_continue"));
        exchange.setStatusCode(302);
        exchange.getResponseHeaders().put(Headers.LOCATION, url);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }

    /** The continue token, when the query ends with {@code gatehouse-continue=...}. */
    private static String continueToken(HttpServerExchange exchange) {
        String q = exchange.getQueryString();
        int at = q.lastIndexOf(WarnAllowances.PARAMETER + "=");
        if (at < 0 || (at > 0 && q.charAt(at - 1) != '&')) return null;
        return java.net.URLDecoder.decode(q.substring(at + WarnAllowances.PARAMETER.length() + 1), StandardCharsets.UTF_8);
    }

    private static String withoutToken(String url) {
        int at = url.lastIndexOf(WarnAllowances.PARAMETER + "=");
        String base = url.substring(0, at - 1); // drop the '?' or '&' before it as well
        return base;
    }

    private static List<String> append(List<String> tags, String tag) {
        List<String> out = new ArrayList<>(tags);
        out.add(tag);
        return out;
    }
}
