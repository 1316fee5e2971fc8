package dev.gatehouse.upstream;

import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Sends one request to its origin and returns the streamed response.
 *
 * <p>The host is resolved here, each address vetted by the {@link DestinationGuard}, and the request is
 * sent to the vetted IP literal with the original {@code Host}: resolving twice (once to check, once to
 * connect) would let DNS rebinding slip past the guard. Connections are pooled by the JDK client.
 * A pooled connection that the origin closed while idle fails before any response byte; an idempotent
 * request without a body is then retried once on a fresh connection (RFC 9110 §9.2.2).
 */
public final class UpstreamClient {
    static {
        // Host is "restricted" in java.net.http; we must send the target's Host with an IP-literal URI.
        // Read once when java.net.http initialises, so the launcher also sets it on the command line.
        String allowed = System.getProperty("jdk.httpclient.allowRestrictedHeaders", "");
        if (!allowed.toLowerCase().contains("host")) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", allowed.isEmpty() ? "host" : allowed + ",host");
        }
    }

    private final HttpClient client;
    private final DestinationGuard guard;
    private final Duration responseTimeout;
    private final ReadWatchdog watchdog;

    public UpstreamClient(DestinationGuard guard, Duration connectTimeout, Duration responseTimeout,
                          Duration readTimeout, Executor executor) {
        this.guard = guard;
        this.responseTimeout = responseTimeout;
        this.watchdog = new ReadWatchdog(readTimeout);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)          // never h2c Upgrade to origins
                .proxy(HttpClient.Builder.NO_PROXY)            // not the system proxy settings
                .followRedirects(HttpClient.Redirect.NEVER)    // redirects are the browser's business
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    /** Sends {@code request}; the caller must close the response. */
    public UpstreamResponse send(UpstreamRequest request) throws UpstreamException {
        URI target = request.target();
        String host = target.getHost();
        int port = target.getPort() < 0 ? 80 : target.getPort();
        List<InetAddress> addresses = resolve(host, port);
        UpstreamException last = null;
        for (InetAddress address : addresses) {
            try {
                return attempt(request, address, port, request.idempotent());
            } catch (UpstreamException e) {
                last = e;
                // Another address helps only if this one could not be reached at all.
                if (e.failure() != Failure.CONNECT_REFUSED && e.failure() != Failure.CONNECT_TIMEOUT) throw e;
            }
        }
        throw last;
    }

    private List<InetAddress> resolve(String host, int port) throws UpstreamException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UpstreamException(Failure.DNS_FAILURE, "cannot resolve " + host, e);
        }
        List<InetAddress> allowed = new ArrayList<>(all.length);
        String refusal = null;
        for (InetAddress a : all) {
            String why = guard.refusal(a, port);
            if (why == null) allowed.add(a);
            else refusal = why;
        }
        if (allowed.isEmpty()) throw new UpstreamException(Failure.DESTINATION_DENIED, host + " is " + refusal, null);
        return allowed;
    }

    private UpstreamResponse attempt(UpstreamRequest request, InetAddress address, int port, boolean mayRetry)
            throws UpstreamException {
        HttpRequest httpRequest = build(request, address, port);
        try {
            HttpResponse<InputStream> response = client.send(httpRequest, HttpResponse.BodyHandlers.ofInputStream());
            return new UpstreamResponse(response.statusCode(), response.headers().map(),
                    watchdog.watch(response.body()), address);
        } catch (HttpConnectTimeoutException e) {
            throw new UpstreamException(Failure.CONNECT_TIMEOUT, "connect to " + address.getHostAddress() + ":" + port + " timed out", e);
        } catch (HttpTimeoutException e) {
            throw new UpstreamException(Failure.UPSTREAM_TIMEOUT, "no response within " + responseTimeout.toSeconds() + "s", e);
        } catch (ConnectException e) {
            throw new UpstreamException(Failure.CONNECT_REFUSED, "connection to " + address.getHostAddress() + ":" + port + " refused", e);
        } catch (IOException e) {
            if (closedBeforeResponse(e)) {
                if (mayRetry) return attempt(request, address, port, false);
                throw new UpstreamException(Failure.UPSTREAM_CLOSED, "the server closed the connection before answering", e);
            }
            throw new UpstreamException(Failure.MALFORMED_RESPONSE, "invalid response: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(Failure.SHUTTING_DOWN, "interrupted", e);
        }
    }

    /** The JDK reports an origin that closed a (pooled) connection without a byte as these. */
    private static boolean closedBeforeResponse(IOException e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof java.io.EOFException || m.contains("received no bytes") || m.contains("connection closed locally")
                || m.contains("Connection reset") || m.contains("EOF reached");
    }

    private HttpRequest build(UpstreamRequest request, InetAddress address, int port) {
        URI original = request.target();
        URI uri;
        try {
            String ip = address.getHostAddress();
            if (ip.indexOf(':') >= 0) ip = "[" + ip.replaceAll("%.*", "") + "]";
            uri = new URI("http://" + ip + ":" + port + original.getRawPath()
                    + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad target " + original, e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(responseTimeout);
        // RFC 9110 §7.2: Host is the target's authority, whatever the client's Host said.
        b.setHeader("Host", original.getPort() < 0 || original.getPort() == 80
                ? original.getHost() : original.getHost() + ":" + original.getPort());
        for (Map.Entry<String, String> h : request.headers()) b.header(h.getKey(), h.getValue());
        if (request.body() == null) {
            // .GET()/.HEAD() rather than a no-body publisher, which would send "Content-Length: 0".
            switch (request.method()) {
                case "GET" -> b.GET();
                case "HEAD" -> b.HEAD();
                default -> b.method(request.method(), HttpRequest.BodyPublishers.noBody());
            }
        } else {
            HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(request::body);
            if (request.contentLength() >= 0) publisher = HttpRequest.BodyPublishers.fromPublisher(publisher, request.contentLength());
            b.method(request.method(), publisher);
        }
        return b.build();
    }
}
