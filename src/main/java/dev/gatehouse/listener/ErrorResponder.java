package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.ErrorPage;
import dev.gatehouse.http.Failure;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;

/**
 * Turns a {@link Failure} into the client's response: the right status, an escaped HTML page naming the
 * failure and the request id, and the matching audit fields. If the response has already started, a page
 * can no longer be sent; the connection is closed instead so the client sees a cut-off response, never a
 * response completed with bytes the origin did not send.
 */
final class ErrorResponder {
    private final String contact;

    ErrorResponder(String contact) {
        this.contact = contact;
    }

    void respond(HttpServerExchange exchange, Failure failure, String detail) {
        respond(exchange, failure, detail, resultCodeFor(failure), false);
    }

    /** As {@link #respond(HttpServerExchange, Failure, String)}, closing the connection afterwards (framing errors). */
    void respondAndClose(HttpServerExchange exchange, Failure failure, String detail) {
        respond(exchange, failure, detail, resultCodeFor(failure), true);
    }

    /**
     * A 401 page with a {@code WWW-Authenticate} challenge, so a browser asks its user for credentials
     * (the FTP gateway: the server refused the login).
     */
    void respondWithChallenge(HttpServerExchange exchange, Failure failure, String detail, String challenge) {
        respond(exchange, failure, detail, resultCodeFor(failure), false, Headers.WWW_AUTHENTICATE, challenge);
    }

    /** A 407 page with a {@code Proxy-Authenticate} challenge (RFC 9110 §11.7.1). */
    void respondWithProxyChallenge(HttpServerExchange exchange, Failure failure, String challenge) {
        respond(exchange, failure, null, resultCodeFor(failure), false, Headers.PROXY_AUTHENTICATE, challenge);
    }

    void respond(HttpServerExchange exchange, Failure failure, String detail, String resultCode, boolean close) {
        respond(exchange, failure, detail, resultCode, close, null, null);
    }

    private void respond(HttpServerExchange exchange, Failure failure, String detail, String resultCode, boolean close,
                         HttpString challengeField, String challenge) {
        AuditRecord record = Exchanges.record(exchange);
        if (record != null) {
            record.setError(failure.auditName());
            if (record.getResultCode() == null || !record.getResultCode().startsWith("TCP_DENIED")) record.setResultCode(resultCode);
        }
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.setStatusCode(failure.status());
        String url = record == null ? null : record.getUrl();
        byte[] page = ErrorPage.render(failure.status(), reason(failure), failure.explanation(),
                url, detail, record == null ? "-" : record.getRequestId(), contact);
        var headers = exchange.getResponseHeaders();
        headers.clear();
        headers.put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        headers.put(Headers.CACHE_CONTROL, "no-store");
        headers.put(HttpString.tryFromString("X-Squid-Error"), failure.squidPage());
        if (challenge != null) headers.put(challengeField, challenge);
        if (close) {
            headers.put(Headers.CONNECTION, "close");
            exchange.setPersistent(false);
        }
        if ("HEAD".equals(exchange.getRequestMethod().toString())) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(page));
        }
    }

    private static String reason(Failure f) {
        return switch (f.status()) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 407 -> "Proxy Authentication Required";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    /** Squid's log tags: refusals are TCP_DENIED, unparseable requests NONE_NONE, failed fetches TCP_MISS. */
    static String resultCodeFor(Failure f) {
        return switch (f) {
            case CLIENT_DENIED, DESTINATION_DENIED, PORT_DENIED, POLICY_BLOCKED, FORWARDING_LOOP,
                 PROXY_AUTH_REQUIRED, PROXY_AUTH_FAILED, AUTH_UNAVAILABLE -> "TCP_DENIED";
            case BAD_REQUEST, URI_TOO_LONG, HEADERS_TOO_LARGE, UNSUPPORTED_TRANSFER_CODING, NOT_A_PROXY_REQUEST,
                 UNSUPPORTED_SCHEME, FTP_METHOD_NOT_SUPPORTED -> "NONE_NONE";
            default -> "TCP_MISS";
        };
    }
}
