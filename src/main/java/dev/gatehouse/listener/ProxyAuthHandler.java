package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.auth.Authenticator;
import dev.gatehouse.auth.FailureThrottle;
import dev.gatehouse.auth.Identity;
import dev.gatehouse.auth.KerberosAcceptor;
import dev.gatehouse.auth.Verdict;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.BasicAuthorization;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.NegotiateAuthorization;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy authentication (RFC 9110 §11.7): a proxied request (absolute-form or CONNECT) from a network that
 * must log in needs {@code Proxy-Authorization} with credentials the back-end accepts, otherwise 407 with
 * {@code Proxy-Authenticate} challenges: {@code Negotiate} (Kerberos, RFC 4559) when configured, then
 * {@code Basic} when a password back-end is offered. Local requests (the PAC file) stay open: browsers
 * fetch it before they know any credentials. The field is consumed here and removed, so it never reaches
 * an origin (RFC 9110 §11.7.2). A remembered Basic verdict is used on the IO thread; anything else (a
 * directory lookup, a Kerberos ticket's decryption) runs on a virtual thread, and the chain continues back
 * on the IO thread.
 *
 * <p>Negotiate is connection-based, as browsers and Squid treat it: once a ticket is accepted on a client
 * connection, later requests on it without {@code Proxy-Authorization} are that user's; a request that sends
 * credentials again is verified afresh. A client TCP connection is one client, so the identity cannot pass to
 * another; Basic is verified per request and never held on the connection.
 */
final class ProxyAuthHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ProxyAuthHandler.class);

    /** The verified identity, for the policy's user and group rules. */
    static final AttachmentKey<Identity> IDENTITY = AttachmentKey.create(Identity.class);
    /** The identity a Kerberos ticket established for the rest of a client connection. */
    private static final AttachmentKey<Identity> CONNECTION_IDENTITY = AttachmentKey.create(Identity.class);

    private final HttpHandler next;
    private final Authenticator authenticator;
    private final KerberosAcceptor kerberos;
    private final boolean basicOffered;
    private final AddressRanges networks;
    private final AddressRanges exempt;
    private final List<String> challenges;
    private final FailureThrottle throttle;
    private final boolean anonymousWhenUnavailable;
    private final ErrorResponder errors;
    private final Executor executor;
    /** One warning per interval: a directory outage would otherwise log once per request. */
    private final LogInterval unavailableLog = new LogInterval(Duration.ofSeconds(30));
    /** One line per interval: each request of a browser outside the domain would otherwise log one. */
    private final LogInterval ntlmLog = new LogInterval(Duration.ofSeconds(30));

    /**
     * @param authenticator the password back-end, and the source of groups for Kerberos users
     * @param kerberos      the Kerberos acceptor, or null when Negotiate is off
     * @param basicOffered  whether Basic is offered and checked (with Kerberos, the back-end may supply groups only)
     */
    ProxyAuthHandler(HttpHandler next, Authenticator authenticator, KerberosAcceptor kerberos, boolean basicOffered,
                     AddressRanges networks, AddressRanges exempt, String realm, FailureThrottle throttle,
                     boolean anonymousWhenUnavailable, ErrorResponder errors, Executor executor) {
        this.next = next;
        this.authenticator = authenticator;
        this.kerberos = kerberos;
        this.basicOffered = basicOffered;
        this.networks = networks;
        this.exempt = exempt;
        List<String> offered = new ArrayList<>();
        if (kerberos != null) offered.add(NegotiateAuthorization.CHALLENGE); // first: the one browsers should pick
        // RFC 7617 §2.1: charset="UTF-8" asks browsers to send non-ASCII credentials as UTF-8.
        if (basicOffered) offered.add("Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        this.challenges = List.copyOf(offered);
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
            Identity held = exchange.getConnection().getAttachment(CONNECTION_IDENTITY);
            if (held != null) {
                accept(exchange, held);
                next.handleRequest(exchange);
            } else {
                errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_REQUIRED, challenges);
            }
            return;
        }
        // New credentials on a connection that had logged in: whatever they come to, the old login is over.
        exchange.getConnection().removeAttachment(CONNECTION_IDENTITY);
        String clientKey = AddressRange.text(client); // as the audit log writes it: ::1, IPv4-mapped folded
        if (kerberos != null && NegotiateAuthorization.isNegotiate(field)) {
            byte[] token = NegotiateAuthorization.decode(field);
            if (token == null) {
                refuse(exchange, clientKey);
                return;
            }
            Duration delay = throttle.delayFor(clientKey);
            exchange.dispatch(executor, (HttpHandler) ex -> negotiate(ex, token, clientKey, delay));
            return;
        }
        BasicAuthorization credentials = basicOffered ? BasicAuthorization.decode(field) : null;
        if (credentials == null) {
            refuse(exchange, clientKey);
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
            refuse(exchange, clientKey);
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
        conclude(exchange, verdict, clientKey, identity -> { });
    }

    /**
     * Runs on a virtual thread: checks the ticket (CPU work, but a throttled client waits here too), then asks the
     * back-end for the user's groups (may block on LDAP).
     */
    private void negotiate(HttpServerExchange exchange, byte[] token, String clientKey, Duration delay)
            throws InterruptedException {
        if (!delay.isZero()) Thread.sleep(delay);
        KerberosAcceptor.Outcome outcome = kerberos.accept(token);
        if (outcome instanceof KerberosAcceptor.Outcome.Refused refused) {
            if (refused.ntlm()) {
                long times = ntlmLog.occurred();
                if (times > 0) {
                    log.info("refused {} Negotiate login(s) since the last such line (at most one per {} s), the latest"
                            + " from {}: {}", times, ntlmLog.intervalSeconds(), clientKey, refused.reason());
                }
            } else {
                log.debug("Kerberos login refused from {}: {}", clientKey, refused.reason());
            }
            refuse(exchange, clientKey);
            return;
        }
        KerberosAcceptor.Outcome.Accepted ticket = (KerberosAcceptor.Outcome.Accepted) outcome;
        Verdict verdict;
        try {
            verdict = authenticator.lookup(ticket.user());
        } catch (RuntimeException e) {
            verdict = new Verdict.Unavailable(e.toString());
        }
        conclude(exchange, verdict, clientKey, identity -> {
            exchange.getConnection().putAttachment(CONNECTION_IDENTITY, identity);
            if (ticket.replyToken() != null) {
                // RFC 4559 §5: the mutual-authentication token goes back on the final response, whatever it is.
                String reply = NegotiateAuthorization.challenge(ticket.replyToken());
                exchange.addResponseCommitListener(ex -> ex.getResponseHeaders().add(Headers.PROXY_AUTHENTICATE, reply));
            }
        });
    }

    /** Carries on (back on the IO thread) for an accepted login, after {@code onAccepted}; answers otherwise. */
    private void conclude(HttpServerExchange exchange, Verdict verdict, String clientKey, Consumer<Identity> onAccepted) {
        switch (verdict) {
            case Verdict.Accepted accepted -> {
                throttle.succeeded(clientKey);
                onAccepted.accept(accepted.identity());
                accept(exchange, accepted.identity());
                exchange.dispatch(exchange.getIoThread(), next);
            }
            case Verdict.Rejected rejected -> {
                log.debug("proxy login refused from {}: {}", clientKey, rejected.reason());
                refuse(exchange, clientKey);
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

    /** Counts a failed login and answers 407 with the challenges again. */
    private void refuse(HttpServerExchange exchange, String clientKey) {
        throttle.failed(clientKey);
        errors.respondWithProxyChallenge(exchange, Failure.PROXY_AUTH_FAILED, challenges);
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
