package dev.gatehouse.listener;

import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;

/**
 * Enforces the request limits and the framing rules Undertow's parser leaves to us. Undertow already
 * rejects {@code Content-Length} with {@code Transfer-Encoding}, duplicate or invalid lengths, bare LF
 * and control characters (those never reach this handler, see {@link ConnectionTap}); here:
 * <ul>
 *   <li>obsolete line folding (RFC 9112 §5.2), which the parser would silently unfold: 400, closing;</li>
 *   <li>a transfer coding other than {@code chunked}: 501 (RFC 9112 §6.1), and
 *       {@code Transfer-Encoding} in an HTTP/1.0 request: 400 (RFC 9112 §6.1), both closing the
 *       connection, since the body's framing is unknown;</li>
 *   <li>request-target longer than {@code maxUrlLength}: 414 (RFC 9112 §3);</li>
 *   <li>header section or field count over the limit: 431 (RFC 6585 §5).</li>
 * </ul>
 */
final class RequestLimitsHandler implements HttpHandler {
    private final HttpHandler next;
    private final int maxUrlLength;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;
    private final ErrorResponder errors;

    RequestLimitsHandler(HttpHandler next, int maxUrlLength, int maxHeaderBytes, int maxHeaderCount, ErrorResponder errors) {
        this.next = next;
        this.maxUrlLength = maxUrlLength;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
        this.errors = errors;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getAttachment(Exchanges.OBS_FOLD) != null) {
            // RFC 9112 §5.2: refused rather than unfolded, so no two parsers can read this head differently.
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "obsolete line folding in the request header");
            return;
        }
        HeaderValues te = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        if (te != null) {
            if (exchange.getProtocol().equals(Protocols.HTTP_1_0)) {
                errors.respondAndClose(exchange, Failure.BAD_REQUEST, "Transfer-Encoding in an HTTP/1.0 request");
                return;
            }
            if (te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked")) {
                errors.respondAndClose(exchange, Failure.UNSUPPORTED_TRANSFER_CODING, "Transfer-Encoding: " + String.join(", ", te));
                return;
            }
        }
        int urlLength = exchange.getRequestURI().length() + exchange.getQueryString().length();
        if (urlLength > maxUrlLength) {
            errors.respondAndClose(exchange, Failure.URI_TOO_LONG, urlLength + " characters, limit " + maxUrlLength);
            return;
        }
        int count = 0;
        long bytes = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String v : values) {
                count++;
                bytes += values.getHeaderName().length() + v.length() + 4; // name ": " value CRLF
            }
        }
        if (count > maxHeaderCount || bytes > maxHeaderBytes) {
            errors.respondAndClose(exchange, Failure.HEADERS_TOO_LARGE,
                    count + " fields, " + bytes + " bytes; limits " + maxHeaderCount + " fields, " + maxHeaderBytes + " bytes");
            return;
        }
        next.handleRequest(exchange);
    }
}
