package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.auth.Authenticator;
import dev.gatehouse.auth.FailureThrottle;
import dev.gatehouse.auth.Identity;
import dev.gatehouse.auth.Verdict;
import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.BasicAuthorization;
import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy authentication (RFC 9110 §11.7): a proxied request (absolute-form or CONNECT) from a network that
 * must log in needs {@code Proxy-Authorization: Basic} with credentials the back-end accepts, otherwise
 * 407 with a {@code Proxy-Authenticate} challenge. Local requests (the PAC file) stay open: browsers
 * fetch it before they know any credentials. The field is consumed here and removed, so it never reaches
 * an origin (RFC 9110 §11.7.2). A remembered verdict is used on the IO thread; anything else is verified
 * on a virtual thread (a directory lookup blocks), and the chain continues back on the IO thread.
 */
final class ProxyAuthHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ProxyAuthHandler.class);

    /** The verified identity, for the policy's user and group rules. */
    static final AttachmentKey<Identity> IDENTITY = AttachmentKey.create(Identity.class);

    private final HttpHandler next;
    private final Authenticator authenticator;
    private final AddressRanges networks;
    private final AddressRanges exempt;
    private final String challenge;
    private final FailureThrottle throttle;
    private final boolean anonymousWhenUnavailable;
    private final ErrorResponder errors;
    private final Executor executor;
    /** One warning per interval: a directory outage would otherwise log once per request. */
    private final LogInterval unavailableLog = new LogInterval(Duration.ofSeconds(30));

    ProxyAuthHandler(HttpHandler next, Authenticator authenticator, AddressRanges networks, AddressRanges exempt,
                     String realm, FailureThrottle throttle, boolean anonymousWhenUnavailable, ErrorResponder errors,
                     Executor executor) {
        this.next = next;
        this.authenticator = authenticator;
        this.networks = networks;
        this.exempt = exempt;
        // RFC 7617 §2.1: charset="UTF-8" asks browsers to send non-ASCII credentials as UTF-8.
        this.challenge = "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
        this.throttle = throttle;
        this.anonymousWhenUnavailable = anonymousWhenUnavailable;
        this.errors = errors;
        this.executor = executor;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        boolean proxied = Exchanges.isConnect(exchange) || exchange.isHostIncludedInRequestURI();
        InetAddress client = exchange.getSourceAddress().getAddress();
        if (!proxied || !networks.contains(client) || exempt.contains(client)) {
            next.handleRequest(exchange); // a stray Proxy-Authorization is dropped with the hop-by-hop fields
            return;
        }
        String field = exchange.getRequestHeaders().getFirst(Headers.PROXY_AUTHORIZATION);
        exchange.getRequestHeaders().remove(Headers.PROXY_AUTHORIZATION);
        if (field == null) {
            errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_REQUIRED, challenge);
            return;
        }
        String clientKey = AddressRange.text(client); // as the audit log writes it: ::1, IPv4-mapped folded
        BasicAuthorization credentials = BasicAuthorization.decode(field);
        if (credentials == null) {
            throttle.failed(clientKey);
            errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_FAILED, challenge);
            return;
        }
        Verdict known = authenticator.known(credentials.user(), credentials.password());
        if (known instanceof Verdict.Accepted accepted) {
            accept(exchange, accepted.identity());
            next.handleRequest(exchange);
            return;
        }
        Duration delay = throttle.delayFor(clientKey);
        if (known instanceof Verdict.Rejected && delay.isZero()) { // a remembered refusal: no need to leave the IO thread
            throttle.failed(clientKey);
            errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_FAILED, challenge);
            return;
        }
        exchange.dispatch(executor, (HttpHandler) ex -> verify(ex, credentials, clientKey, delay));
    }

    /** Runs on a virtual thread: may wait out the throttle and block on the back-end. */
    private void verify(HttpServerExchange exchange, BasicAuthorization credentials, String clientKey, Duration delay)
            throws InterruptedException {
        if (!delay.isZero()) Thread.sleep(delay);
        Verdict verdict;
        try {
            verdict = authenticator.verify(credentials.user(), credentials.password());
        } catch (RuntimeException e) {
            verdict = new Verdict.Unavailable(e.toString());
        }
        switch (verdict) {
            case Verdict.Accepted accepted -> {
                throttle.succeeded(clientKey);
                accept(exchange, accepted.identity());
                exchange.dispatch(exchange.getIoThread(), next);
            }
            case Verdict.Rejected rejected -> {
                throttle.failed(clientKey);
                log.debug("proxy login refused from {}: {}", clientKey, rejected.reason());
                errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_FAILED, challenge);
            }
            case Verdict.Unavailable unavailable -> {
                logUnavailable(unavailable.reason());
                if (anonymousWhenUnavailable) {
                    exchange.dispatch(exchange.getIoThread(), next);
                } else {
                    errors.respond(exchange, Failure.AUTH_UNAVAILABLE, null);
                }
            }
        }
    }

    private static void accept(HttpServerExchange exchange, Identity identity) {
        exchange.putAttachment(IDENTITY, identity);
        AuditRecord record = Exchanges.record(exchange);
        if (record != null) record.setUser(identity.user());
    }

    private void logUnavailable(String reason) {
        long times = unavailableLog.occurred();
        if (times > 0) {
            log.warn("proxy authentication back-end unavailable for {} login(s) since the last such warning (at most one"
                    + " per {} s; {}): {}", times, unavailableLog.intervalSeconds(),
                    anonymousWhenUnavailable ? "carrying on unauthenticated" : "answering 503", reason);
        }
    }
}
