package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.HttpDate;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.PercentEncoding;
import dev.gatehouse.http.Via;
import dev.gatehouse.upstream.UpstreamResponse;
import dev.gatehouse.upstream.ftp.FtpFetch;
import dev.gatehouse.upstream.ftp.FtpGateway;
import dev.gatehouse.upstream.ftp.FtpListing;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.xnio.IoUtils;

/**
 * Serves {@code ftp://} URLs as a gateway (GET and HEAD), on a virtual thread: the FTP conversation
 * blocks. The FTP side is {@link FtpGateway}; this class turns its results into an HTTP response, as an
 * origin's, and hands it to the {@link OriginRelay}: behind a {@link CacheHandler} a file is then stored
 * while it streams, like any HTTP response.
 *
 * <p>A file's response carries {@code Last-Modified} (MDTM or MLST) and no explicit freshness, so the
 * cache gives it heuristic freshness (RFC 9111 §4.2.2, 200 is heuristically cacheable) and, once stale,
 * revalidates it here: an unchanged modification time answers as a 304 without a transfer. Listings and
 * redirects carry no {@code Last-Modified}, so they are never stored (no freshness, no validator): a
 * listing is cheap to make and changes whenever a file is uploaded.
 */
final class FtpHandler implements HttpHandler {
    private static final HttpString VIA = HttpString.tryFromString("Via");

    private final FtpGateway gateway;
    private final Via via;
    private final ErrorResponder errors;
    private final Executor executor;
    private final OriginRelay relay;

    FtpHandler(FtpGateway gateway, Via via, ErrorResponder errors, OriginRelay relay, Executor executor) {
        this.gateway = gateway;
        this.via = via;
        this.errors = errors;
        this.executor = executor;
        this.relay = relay;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(executor, this);
            return;
        }
        AuditHold hold = Exchanges.hold(exchange);
        try {
            String method = exchange.getRequestMethod().toString();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                errors.respond(exchange, Failure.FTP_METHOD_NOT_SUPPORTED, method + " " + exchange.getRequestURI());
                return;
            }
            // Twice at most: a 304 that the stored response does not match is fetched again whole (RFC 9111 §4.3.4).
            if (!serve(exchange, method)) serve(exchange, method);
        } finally {
            hold.release();
        }
    }

    /** Returns false when the exchange must be served again (see {@link OriginRelay#relay}). */
    private boolean serve(HttpServerExchange exchange, String method) {
        AuditRecord record = Exchanges.record(exchange);
        FtpTarget target = exchange.getAttachment(Exchanges.FTP_TARGET);
        CacheFill fill = exchange.getAttachment(CacheFill.KEY);
        List<Map.Entry<String, String>> validators = new ArrayList<>();
        if (fill != null) fill.beforeSend(validators); // the stored response's validators, when revalidating
        record.setHierarchy("HIER_DIRECT");
        try (FtpFetch fetch = gateway.open(target);
             UpstreamResponse response = response(fetch, target, "HEAD".equals(method), validators)) {
            return relay.relay(exchange, response, method, this::copyHeaders);
        } catch (FailureException e) {
            if (e.failure() == Failure.FTP_LOGIN_REFUSED) {
                // Not handed to collapsed followers: each gets its own 401, with the challenge.
                errors.respondWithChallenge(exchange, e.failure(), e.getMessage(), "Basic realm=\"FTP " + target.host() + "\"");
                return true;
            }
            try {
                relay.failed(exchange, e);
            } catch (IOException gone) {
                clientGone(exchange, record);
            }
        } catch (IOException e) {
            clientGone(exchange, record); // answering from the cache's disk copy failed: the client went away
        }
        return true;
    }

    private static void clientGone(HttpServerExchange exchange, AuditRecord record) {
        record.setError("client_aborted");
        IoUtils.safeClose(exchange.getConnection());
    }

    /**
     * What the FTP server said, as an origin's response. A file's transfer (RETR) starts here, before the
     * response head goes out, so a refused transfer is still a proper 404.
     */
    private static UpstreamResponse response(FtpFetch fetch, FtpTarget target, boolean head,
                                             List<Map.Entry<String, String>> validators) throws FailureException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        return switch (fetch) {
            case FtpFetch.NeedsSlash n -> {
                // Relative, so the client keeps whatever credentials its URL carried without us echoing them.
                headers.put("Location", List.of(PercentEncoding.component(target.lastSegment()) + "/"));
                headers.put("Content-Length", List.of("0"));
                yield new UpstreamResponse(301, headers, InputStream.nullInputStream(), fetch.address());
            }
            case FtpFetch.Directory d -> {
                byte[] page = FtpListing.render(target.host(), target.path(), d.entries());
                headers.put("Content-Type", List.of("text/html; charset=utf-8"));
                headers.put("Content-Length", List.of(Integer.toString(page.length)));
                yield new UpstreamResponse(200, headers, new ByteArrayInputStream(page), fetch.address());
            }
            case FtpFetch.File f -> file(f, target, head, validators, headers);
        };
    }

    private static UpstreamResponse file(FtpFetch.File file, FtpTarget target, boolean head,
                                         List<Map.Entry<String, String>> validators,
                                         Map<String, List<String>> headers) throws FailureException {
        if (file.modified() != null) headers.put("Last-Modified", List.of(HttpDate.format(file.modified().toEpochMilli())));
        if (unmodifiedSince(file.modified(), validators)) {
            // FTP has no conditional RETR; the modification time stands in for it (RFC 9110 §13.1.3).
            return new UpstreamResponse(304, headers, InputStream.nullInputStream(), file.address());
        }
        headers.put("Content-Type", List.of(file.contentType()));
        if (file.size() >= 0) headers.put("Content-Length", List.of(Long.toString(file.size())));
        if (head) return new UpstreamResponse(200, headers, InputStream.nullInputStream(), file.address());
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
        return new UpstreamResponse(200, headers, body, file.address());
    }

    /** Whether the stored response's {@code If-Modified-Since} (added by the cache) still holds. */
    private static boolean unmodifiedSince(Instant modified, List<Map.Entry<String, String>> validators) {
        if (modified == null) return false;
        for (Map.Entry<String, String> v : validators) {
            if (!v.getKey().equalsIgnoreCase("If-Modified-Since")) continue;
            OptionalLong since = HttpDate.parse(v.getValue());
            // HTTP dates have whole seconds; MDTM may have fractions.
            return since.isPresent() && modified.getEpochSecond() * 1000 <= since.getAsLong();
        }
        return false;
    }

    /**
     * The FTP server's fields and this proxy's {@code Via} entry: the response is an HTTP/1.1 message made here
     * from FTP replies, no HTTP version was received, so the entry names 1.1.
     */
    private void copyHeaders(UpstreamResponse response, HeaderMap to) {
        response.headers().forEach((name, values) -> to.addAll(HttpString.tryFromString(name), values));
        to.put(VIA, via.append(null));
    }
}
