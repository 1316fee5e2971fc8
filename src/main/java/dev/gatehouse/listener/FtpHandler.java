package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.HttpDate;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.Via;
import dev.gatehouse.upstream.ftp.FtpFetch;
import dev.gatehouse.upstream.ftp.FtpGateway;
import dev.gatehouse.upstream.ftp.FtpListing;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.Executor;
import org.xnio.IoUtils;

/**
 * Serves {@code ftp://} URLs as a gateway (GET and HEAD), on a virtual thread: the FTP conversation
 * blocks. The FTP side is {@link FtpGateway}; this class only turns its results into HTTP responses.
 */
final class FtpHandler implements HttpHandler {
    private static final HttpString VIA = HttpString.tryFromString("Via");

    private final FtpGateway gateway;
    private final Via via;
    private final ErrorResponder errors;
    private final Executor executor;
    private final BodyCopier copier = new BodyCopier();

    FtpHandler(FtpGateway gateway, Via via, ErrorResponder errors, Executor executor) {
        this.gateway = gateway;
        this.via = via;
        this.errors = errors;
        this.executor = executor;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(executor, this);
            return;
        }
        AuditHold hold = Exchanges.hold(exchange);
        try {
            serve(exchange);
        } finally {
            hold.release();
        }
    }

    private void serve(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            errors.respond(exchange, Failure.FTP_METHOD_NOT_SUPPORTED, method + " " + exchange.getRequestURI());
            return;
        }
        AuditRecord record = Exchanges.record(exchange);
        URI uri = exchange.getAttachment(Exchanges.TARGET);
        FtpTarget target;
        try {
            target = FtpTarget.of(uri, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        } catch (FailureException e) {
            errors.respond(exchange, e.failure(), e.getMessage());
            return;
        }
        record.setHierarchy("HIER_DIRECT");
        try (FtpFetch fetch = gateway.open(target)) {
            record.setUpstreamAddress(AddressRange.text(fetch.address()));
            record.setResultCode("TCP_MISS");
            HeaderMap headers = exchange.getResponseHeaders();
            headers.put(VIA, via.append(null));
            switch (fetch) {
                case FtpFetch.NeedsSlash n -> {
                    // Relative, so the client keeps whatever credentials its URL carried without us echoing them.
                    exchange.setStatusCode(301);
                    headers.put(Headers.LOCATION, FtpListing.encodeSegment(target.lastSegment()) + "/");
                    headers.put(Headers.CONTENT_LENGTH, 0);
                }
                case FtpFetch.Directory d -> {
                    byte[] page = FtpListing.render(target.host(), target.path(), d.entries());
                    headers.put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                    headers.put(Headers.CONTENT_LENGTH, page.length);
                    if (!"HEAD".equals(method)) {
                        exchange.startBlocking();
                        exchange.getOutputStream().write(page);
                    }
                }
                case FtpFetch.File f -> sendFile(exchange, record, target, f, "HEAD".equals(method));
            }
        } catch (FailureException e) {
            if (e.failure() == Failure.FTP_LOGIN_REFUSED) {
                errors.respondWithChallenge(exchange, e.failure(), e.getMessage(), "Basic realm=\"FTP " + target.host() + "\"");
            } else {
                if (e.failure() == Failure.DNS_FAILURE || e.failure() == Failure.DESTINATION_DENIED) record.setHierarchy("HIER_NONE");
                errors.respond(exchange, e.failure(), e.getMessage());
            }
        } catch (IOException e) {
            // Writing the listing to the client failed: it went away.
            record.setError("client_aborted");
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    private void sendFile(HttpServerExchange exchange, AuditRecord record, FtpTarget target, FtpFetch.File file,
                          boolean head) throws FailureException {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, file.contentType());
        if (file.size() >= 0) headers.put(Headers.CONTENT_LENGTH, file.size());
        if (file.modified() != null) headers.put(Headers.LAST_MODIFIED, HttpDate.format(file.modified().toEpochMilli()));
        if (head) return;
        InputStream body;
        try {
            body = file.open();
        } catch (IOException e) {
            throw FtpGateway.failure(e, "RETR " + target.path() + " failed");
        }
        if (body == null) {
            throw new FailureException(Failure.FTP_NOT_FOUND, "the server refused to send " + target.path()
                    + " (" + file.replyCode() + ")", null);
        }
        exchange.startBlocking();
        OutputStream out = exchange.getOutputStream();
        try (body) {
            copier.copy(body, out);
            out.close();
        } catch (BodyCopier.SourceFailed e) {
            record.setError(e.getCause() instanceof SocketTimeoutException ? Failure.UPSTREAM_TIMEOUT.auditName() : "upstream_aborted");
            record.setResultCode("TCP_MISS_ABORTED");
            IoUtils.safeClose(exchange.getConnection()); // cut off: the client must not take a short file as whole
        } catch (BodyCopier.SinkFailed | IOException e) {
            record.setError("client_aborted");
            record.setResultCode("TCP_MISS_ABORTED");
        }
    }
}
