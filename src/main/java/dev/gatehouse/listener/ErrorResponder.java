package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.Failure;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xnio.IoUtils;

/**
 * Turns a {@link Failure} into the client's response: the right status, an escaped HTML page naming the
 * failure and the request id, and the matching audit fields. If the response has already started, a page
 * can no longer be sent; the connection is closed instead so the client sees a cut-off response, never a
 * response completed with bytes the origin did not send.
 */
final class ErrorResponder {
    private static final HttpString X_SQUID_ERROR = HttpString.tryFromString("X-Squid-Error");

    private final ErrorPages pages;

    ErrorResponder(ErrorPages pages) {
        this.pages = pages;
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
        respond(exchange, failure, detail, resultCodeFor(failure), false, Headers.WWW_AUTHENTICATE, List.of(challenge));
    }

    /**
     * A 407 page with {@code Proxy-Authenticate} challenges (RFC 9110 §11.7.1), one field each, in the order given
     * (a client picks the first scheme it supports, as browsers do with Squid's Negotiate then Basic).
     */
    void respondWithProxyChallenge(HttpServerExchange exchange, Failure failure, List<String> challenges) {
        respond(exchange, failure, null, resultCodeFor(failure), false, Headers.PROXY_AUTHENTICATE, challenges);
    }

    void respond(HttpServerExchange exchange, Failure failure, String detail, String resultCode, boolean close) {
        respond(exchange, failure, detail, resultCode, close, null, List.of());
    }

    private void respond(HttpServerExchange exchange, Failure failure, String detail, String resultCode, boolean close,
                         HttpString challengeField, List<String> challenges) {
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
        String accepted = PageLanguage.accepted(exchange);
        ErrorPages.Page page = record == null ? page(accepted, failure, null, detail, "-", null, null)
                : page(accepted, failure, record.getUrl(), detail, record.getRequestId(), record.getClientAddress(), record.getUser());
        var headers = exchange.getResponseHeaders();
        headers.clear();
        fields(failure, close, page).forEach(headers::put);
        for (String challenge : challenges) headers.add(challengeField, challenge);
        if (close) exchange.setPersistent(false);
        if ("HEAD".equals(exchange.getRequestMethod().toString())) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(page.body()));
        }
    }

    /**
     * The whole response (status line to page) for a request refused before any exchange exists (Undertow's
     * parser rejected it): the same page and fields as {@link #respondAndClose}, without a URL or request id,
     * as nothing of the request could be read (so the page is in the default language). Written raw by the
     * {@link ConnectionTap}.
     */
    byte[] withoutExchange(Failure failure, String detail) {
        ErrorPages.Page rendered = page(null, failure, null, detail, "-", null, null);
        byte[] page = rendered.body();
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(failure.status()).append(' ').append(reason(failure)).append("\r\n");
        fields(failure, true, rendered).forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append(Headers.CONTENT_LENGTH).append(": ").append(page.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] response = Arrays.copyOf(headBytes, headBytes.length + page.length);
        System.arraycopy(page, 0, response, headBytes.length, page.length);
        return response;
    }

    private ErrorPages.Page page(String acceptLanguage, Failure failure, String url, String detail, String requestId,
                                 String client, String user) {
        return pages.render(acceptLanguage, failure.status(), failure.auditName(), reason(failure), failure.explanation(), url, detail, requestId, client, user);
    }

    /** The fields of every error response, in order (Content-Length comes from the page). */
    private static Map<HttpString, String> fields(Failure failure, boolean close, ErrorPages.Page page) {
        Map<HttpString, String> fields = new LinkedHashMap<>();
        fields.put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        fields.put(Headers.CACHE_CONTROL, "no-store");
        PageLanguage.describe(page, fields::put);
        fields.put(X_SQUID_ERROR, failure.squidPage());
        if (close) fields.put(Headers.CONNECTION, "close");
        return fields;
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
