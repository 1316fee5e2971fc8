package dev.gatehouse.upstream;

import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.http.ReadFailureFilter;
import dev.gatehouse.http.RequestTarget;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends one request to its origin over HTTP/1.1 and returns the streamed response. Written for
 * blocking sockets on virtual threads: one thread per exchange, no hand-offs, no callbacks but the one that
 * hears of interim responses, on that same thread (the JDK's {@code HttpClient} measured at well under half
 * the throughput here, and it cannot relay field-name case or let the proxy set {@code Host}).
 *
 * <p>The host is resolved here and each address vetted by the {@link DestinationGuard}; the socket
 * connects to the vetted address, so DNS rebinding cannot slip past the check. Keep-alive connections
 * are pooled per address. A pooled connection that the origin closed while idle fails before any
 * response byte; an idempotent request without a body is then retried once on a fresh connection
 * (RFC 9110 §9.2.2, RFC 9112 §9.3.1). Any other request always goes on a fresh connection, as it could not be
 * retried.
 *
 * <p>A request goes to the next address of its origin, or to the next parent of its route, when a connection cannot
 * be opened, and, when it may be repeated, when a server accepts a fresh connection and ends it before any response
 * byte, as Squid retries the next destination ({@link ForwardTries} decides which failures move on); at most
 * {@code maxTries} destinations per request ({@code forwarding.maxTries}, Squid's {@code forward_max_tries}).
 *
 * <p>With parent proxies configured ({@link ParentProxies}), a request goes to the first parent that answers it,
 * in absolute form (RFC 9112 §3.2.2) with this proxy's {@code Proxy-Authorization}, over
 * keep-alive connections pooled per parent. The origin's name is then not resolved here (a branch office often
 * cannot resolve outside names); an origin named by an address, in whatever notation, is still vetted by the
 * guard, so a parent is no way around it.
 */
public final class UpstreamClient {
    private final DestinationGuard guard;
    private final int connectTimeoutMillis;
    private final int responseTimeoutMillis;
    private final int readTimeoutMillis;
    private final ConnectionPool pool;
    private final ParentProxies parents;
    /** Connections to parents, apart from those to origins: one carries absolute-form requests for any origin. */
    private final ConnectionPool parentPool;
    /** The most destinations (addresses, parents) one request tries ({@code forwarding.maxTries}). */
    private final int maxTries;

    /** Squid's {@code forward_max_tries} default (Squid 5 and later), and {@code forwarding.maxTries}'s. */
    public static final int DEFAULT_MAX_TRIES = 25;

    public UpstreamClient(DestinationGuard guard, Duration connectTimeout, Duration responseTimeout, Duration readTimeout) {
        this(guard, ParentProxies.NONE, connectTimeout, responseTimeout, readTimeout, DEFAULT_MAX_TRIES);
    }

    /** @param maxTries the most destinations (origin addresses, parents) one request tries, at least 1 */
    public UpstreamClient(DestinationGuard guard, ParentProxies parents, Duration connectTimeout, Duration responseTimeout,
                          Duration readTimeout, int maxTries) {
        if (maxTries < 1) throw new IllegalArgumentException("maxTries must be at least 1, got " + maxTries);
        this.maxTries = maxTries;
        this.guard = guard;
        this.parents = parents;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.responseTimeoutMillis = Math.toIntExact(responseTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
        this.pool = new ConnectionPool(256, 15_000);
        this.parentPool = new ConnectionPool(256, 15_000);
    }

    /** Sends {@code request}, dropping any interim responses; the caller must close the response. */
    public UpstreamResponse send(UpstreamRequest request) throws FailureException {
        return send(request, InterimResponse.Listener.IGNORE);
    }

    /**
     * Sends {@code request}; each interim (1xx) response the origin sends before the final one goes to
     * {@code interim} as it arrives (RFC 9110 §15.2). The caller must close the response.
     */
    public UpstreamResponse send(UpstreamRequest request, InterimResponse.Listener interim) throws FailureException {
        RequestTarget target = request.target();
        int port = target.port() < 0 ? 80 : target.port();
        ParentProxies.Route route = parents.route(target.host(), request.client());
        // Another scheme (ftp://) reaches this client only to go to a parent, which acts as its gateway.
        boolean http = "http".equals(target.scheme());
        ForwardTries tries = new ForwardTries(maxTries, request.idempotent());
        if (!route.isEmpty()) {
            // An address in any notation is vetted here: the JDK reads the numeric forms without a lookup (a hex form
            // it cannot read fails its lookup, and is refused too). Names are left to the parent.
            if (AddressRange.namesAnAddress(target.host())) guard.resolve(target.host(), port);
            UpstreamResponse response = viaParents(request, interim, route, http && parents.fallbackDirect(), tries);
            if (response != null) return response;
            // null: no parent could be reached (or none answered a request that may be repeated), tries remain, and
            // fallbackDirect says to go on without them
        } else if (!http) {
            throw new FailureException(Failure.PARENT_UNREACHABLE, "no parent proxy is up to take " + target.scheme() + ":// URLs", null);
        }
        List<InetAddress> addresses = guard.resolve(target.host(), port);
        FailureException last = null;
        for (InetAddress address : addresses) {
            tries.spend();
            boolean unanswered = false;
            try {
                return exchange(request, interim, new InetSocketAddress(address, port), null);
            } catch (UnansweredException e) {
                last = e.failure;
                unanswered = true;
            } catch (FailureException e) {
                last = e;
            }
            if (!tries.movesOn(last, unanswered)) throw last;
        }
        throw last;
    }

    /**
     * Sends {@code request} through the first of {@code route} that answers it: one that refuses the connection, or
     * accepts it and closes it before any response byte (then only a request that may be repeated goes on to the next
     * parent), is passed over for a while. Returns null when none answered, tries remain and the request may go
     * direct. The response, or the failure, of the parent that answered carries the route's hierarchy code for it.
     */
    private UpstreamResponse viaParents(UpstreamRequest request, InterimResponse.Listener interim, ParentProxies.Route route,
                                        boolean mayGoDirect, ForwardTries tries)
            throws FailureException {
        ParentProxies.Attempt attempt = parents.attempt();
        FailureException last = null;
        boolean unanswered = false;
        for (ParentProxies.Parent parent : route.parents()) {
            List<InetAddress> addresses = ParentProxies.addressesOf(parent);
            if (addresses.isEmpty()) {
                attempt.cannotResolve(parent);
                continue;
            }
            boolean movesOn = true;
            for (InetAddress address : addresses) {
                tries.spend();
                try {
                    UpstreamResponse response = exchange(request, interim, new InetSocketAddress(address, parent.port()), parent);
                    parents.reached(parent);
                    return response.withHierarchy(route.hierarchy(parent));
                } catch (UnansweredException e) {
                    last = e.failure.atParent(route.hierarchy(parent));
                    unanswered = true;
                } catch (FailureException e) {
                    if (!ForwardTries.notConnected(e)) {
                        parents.reached(parent); // it answered: the failure is in the exchange, not the parent's being down
                        throw e.atParent(route.hierarchy(parent));
                    }
                    last = e;
                    unanswered = false;
                }
                movesOn = tries.movesOn(last, unanswered);
                if (!movesOn) break;
            }
            // Tried at least one address. A parent that accepted and then closed without a byte of answer is as good as
            // down, and passed over likewise: Squid counts a peer failed (peerConnectFailed) when the step after its
            // TCP accept fails (a TLS handshake), and a proxy that takes requests and drops them is failing every one.
            attempt.unreachable(parent, last.getMessage());
            if (!movesOn) throw unanswered ? last : attempt.failure(last);
        }
        if (mayGoDirect && tries.remain()) return null;
        // The last parent tried decides what the client hears: it closed without answering (502), or none could be
        // connected to (503, naming each).
        throw unanswered ? last : attempt.failure(last);
    }

    /** The parent proxies requests go through (none: everything direct). */
    public ParentProxies parents() {
        return parents;
    }

    /** Closes the idle pooled connections and stops their sweeper (at shutdown). */
    public void close() {
        pool.closeAll();
        parentPool.closeAll();
    }

    /** One exchange with {@code address}: an origin, or {@code parent} when not null. */
    private UpstreamResponse exchange(UpstreamRequest request, InterimResponse.Listener interim, InetSocketAddress address,
                                      ParentProxies.Parent parent) throws FailureException, UnansweredException {
        if (parent == null) return exchange(request, interim, address, null, pool);
        try {
            UpstreamResponse response = exchange(request, interim, address, parent, parentPool);
            if (response.status() == 407) {
                // The parent's challenge is for this proxy, not for the browser (which would offer its user's
                // password to head office); and the client's own Proxy-Authorization is never passed on.
                response.close();
                throw new FailureException(Failure.PARENT_AUTH_FAILED, "parent proxy " + parent + " answered 407: "
                        + (parents.proxyAuthorization() == null ? "it requires credentials, and forwarding.parent.user is not set"
                        : "it refused the credentials of forwarding.parent.user"), null, parent.host());
            }
            return response;
        } catch (UnansweredException e) {
            throw new UnansweredException(atParent(e.failure, parent));
        } catch (FailureException e) {
            throw atParent(e, parent);
        }
    }

    /** {@code e}, named as a failure at or behind {@code parent} unless it already is, or the parent was not reached. */
    private static FailureException atParent(FailureException e, ParentProxies.Parent parent) {
        if (e.parent() != null || ForwardTries.notConnected(e)) return e;
        return new FailureException(e.failure(), "parent proxy " + parent + ": " + e.getMessage(), e.getCause(), parent.host());
    }

    /**
     * One exchange over a pooled connection to {@code address}, or a fresh one.
     *
     * @throws UnansweredException if the server accepted a fresh connection and ended it before any response byte
     */
    private UpstreamResponse exchange(UpstreamRequest request, InterimResponse.Listener interim, InetSocketAddress address,
                                      ParentProxies.Parent parent, ConnectionPool pool) throws FailureException, UnansweredException {
        // A request that cannot be sent twice goes on a new connection (Squid's default without
        // server_pconn_for_nonretriable): on an idle one the server may already have closed, as origins do after a few
        // seconds, it could only fail (RFC 9112 §9.3.1).
        OriginConnection pooled = request.idempotent() ? pool.take(address) : null;
        if (pooled != null) {
            try {
                return attempt(request, interim, pooled, parent, pool);
            } catch (NoResponseByteException e) {
                pooled.close();
                // fall through: once more on a fresh connection
            }
        }
        OriginConnection fresh;
        try {
            fresh = pool.open(address, connectTimeoutMillis);
        } catch (SocketTimeoutException e) {
            throw new FailureException(Failure.CONNECT_TIMEOUT, "connect to " + where(address) + " timed out", e);
        } catch (ConnectException | NoRouteToHostException e) {
            throw new FailureException(Failure.CONNECT_REFUSED, "connection to " + where(address) + " refused", e);
        } catch (IOException e) {
            throw new FailureException(Failure.CONNECT_REFUSED, "cannot connect to " + where(address) + ": " + e.getMessage(), e);
        }
        try {
            return attempt(request, interim, fresh, parent, pool);
        } catch (NoResponseByteException e) {
            fresh.close();
            throw new UnansweredException(new FailureException(Failure.UPSTREAM_CLOSED,
                    "the server closed the connection without answering", e.getCause()));
        }
    }

    /**
     * The connection ended (closed, reset, also while the request was being written) before any response byte: on a
     * pooled connection it may simply have gone stale; on a fresh one the server took the connection and dropped it.
     */
    private static final class NoResponseByteException extends Exception {
        NoResponseByteException(IOException cause) {
            super(cause);
        }
    }

    /** A server accepted a fresh connection and ended it before any response byte: {@link ForwardTries#movesOn} decides. */
    private static final class UnansweredException extends Exception {
        final FailureException failure;

        UnansweredException(FailureException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private UpstreamResponse attempt(UpstreamRequest request, InterimResponse.Listener interim, OriginConnection c,
                                     ParentProxies.Parent parent, ConnectionPool pool) throws FailureException, NoResponseByteException {
        boolean bodySent = false;
        long receivedBefore = c.in.received();
        try {
            c.readTimeout(responseTimeoutMillis);
            writeHead(request, c.out, parent);
            boolean answeredEarly = false;
            if (request.body() != null) {
                // Expect: 100-continue was answered by the proxy itself (the listener sends the 100 when the
                // body is first read), so the body follows the head at once.
                try {
                    writeBody(request, c.out);
                    bodySent = true;
                } catch (SocketException e) {
                    // RFC 9112 §9.5: an origin may answer (a 413, a 401) and close without taking the whole body.
                    // An answer that came before the close is the response, not a failure to reach the origin.
                    if (!c.hasUnreadBytes()) throw e;
                    answeredEarly = true;
                }
            }
            if (!answeredEarly) c.out.flush();
            ResponseHead head = ResponseHead.readFinal(c.in, interim);
            c.readTimeout(readTimeoutMillis);
            return response(request, head, c, request.body() == null || bodySent, parent, pool);
        } catch (RequestBodyException e) {
            // The client's failure, not the server's: nothing to retry (a body is never sent twice), no one to pass over.
            c.close();
            throw new FailureException(Failure.UPSTREAM_CLOSED, e.getMessage(), e);
        } catch (EOFException | SocketException e) {
            // Reset while writing counts as well: nothing came back, and only a request that may be repeated is sent
            // again (a body, even one partly sent, never is: UpstreamRequest#idempotent).
            if (c.in.received() == receivedBefore) throw new NoResponseByteException(e);
            c.close();
            throw new FailureException(Failure.UPSTREAM_CLOSED, "the server closed the connection without answering", e);
        } catch (SocketTimeoutException e) {
            c.close();
            throw new FailureException(Failure.UPSTREAM_TIMEOUT, "no response within " + responseTimeoutMillis / 1000 + "s", e);
        } catch (MalformedResponseException e) {
            c.close();
            throw new FailureException(Failure.MALFORMED_RESPONSE, "invalid response: " + e.getMessage(), e);
        } catch (IOException e) {
            c.close();
            throw new FailureException(Failure.UPSTREAM_CLOSED, "connection failed: " + e.getMessage(), e);
        }
    }

    private void writeHead(UpstreamRequest request, OutputStream out, ParentProxies.Parent parent) throws IOException {
        RequestTarget t = request.target();
        StringBuilder s = new StringBuilder(512);
        s.append(request.method()).append(' ');
        // RFC 9112 §3.2.2: to a proxy, the absolute form (without a fragment, which is never sent).
        if (parent != null) s.append(t.scheme()).append("://").append(t.rawAuthority());
        s.append(t.rawPath());
        if (t.rawQuery() != null) s.append('?').append(t.rawQuery());
        s.append(" HTTP/1.1\r\n");
        // RFC 9110 §7.2: Host is the target's authority, whatever the client's Host said.
        s.append("Host: ").append(t.rawAuthority()).append("\r\n");
        if (parent != null && parents.proxyAuthorization() != null) {
            s.append("Proxy-Authorization: ").append(parents.proxyAuthorization()).append("\r\n");
        }
        for (Map.Entry<String, String> h : request.headers()) {
            s.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (request.body() != null) {
            if (request.contentLength() >= 0) s.append("Content-Length: ").append(request.contentLength()).append("\r\n");
            else s.append("Transfer-Encoding: chunked\r\n");
        }
        s.append("\r\n");
        out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void writeBody(UpstreamRequest request, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        // A failed read of the client's body (a reset is a SocketException too) is told apart from the server's close.
        InputStream body = new ReadFailureFilter(request.body()) {
            @Override
            protected IOException failed(IOException e) {
                return new RequestBodyException("reading the request body from the client failed: " + e.getMessage(), e);
            }
        };
        if (request.contentLength() >= 0) BodyStreams.copyFixed(body, out, request.contentLength(), buffer);
        else BodyStreams.copyChunked(body, out, buffer);
    }

    /** Chooses the body framing (RFC 9112 §6.3) and whether the connection can be reused afterwards. */
    private UpstreamResponse response(UpstreamRequest request, ResponseHead head, OriginConnection c, boolean requestComplete,
                                      ParentProxies.Parent parent, ConnectionPool pool) throws MalformedResponseException {
        boolean keepAlive = requestComplete && head.httpMinor() == 1 && !hasToken(head.values("Connection"), "close");
        BodyStreams.Completion completion = reusable -> {
            if (reusable) pool.release(c);
            else c.close();
        };
        int status = head.status();
        List<String> te = head.values("Transfer-Encoding");
        List<String> cl = head.values("Content-Length");
        var address = c.address().getAddress();
        String parentHost = parent == null ? null : parent.host();
        String hierarchy = parent == null ? null : ParentProxies.HIERARCHY; // viaParents sets the route's own
        if ("HEAD".equals(request.method()) || status == 204 || status == 304) {
            return new UpstreamResponse(status, head.headers(), BodyStreams.empty(r -> completion.done(keepAlive && r)), address, parentHost, head.httpMinor(), hierarchy);
        }
        if (!te.isEmpty()) {
            // RFC 9112 §6.1: this proxy decodes chunked only, and once Transfer-Encoding (hop-by-hop) is removed
            // another coding would reach the client unannounced; such a response is invalid, as Squid has it.
            if (!onlyChunked(te)) throw new MalformedResponseException("unsupported Transfer-Encoding: " + String.join(", ", te));
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; such a message must not be reused, and
            // an intermediary that forwards it removes the Content-Length first.
            boolean withLength = !cl.isEmpty();
            if (withLength) head.headers().remove("Content-Length");
            return new UpstreamResponse(status, head.headers(), BodyStreams.chunked(c.in, completion, keepAlive && !withLength), address, parentHost, head.httpMinor(), hierarchy);
        }
        if (!cl.isEmpty()) {
            long length = contentLength(cl);
            // RFC 9110 §8.6: a list of identical values ("5, 5") is replaced with the one value it stands for.
            String single = Long.toString(length);
            if (cl.size() > 1 || !cl.getFirst().equals(single)) head.headers().set("Content-Length", single);
            return new UpstreamResponse(status, head.headers(), BodyStreams.fixed(c.in, length, completion, keepAlive), address, parentHost, head.httpMinor(), hierarchy);
        }
        return new UpstreamResponse(status, head.headers(), BodyStreams.untilClose(c.in, completion), address, parentHost, head.httpMinor(), hierarchy);
    }

    /** RFC 9110 §8.6: one valid value, or a list of identical ones; anything else is unrecoverable. */
    private static long contentLength(List<String> values) throws MalformedResponseException {
        long length = -1;
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.strip();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    throw new MalformedResponseException("invalid Content-Length: " + v);
                }
                long n = Long.parseLong(p);
                if (length >= 0 && n != length) throw new MalformedResponseException("conflicting Content-Length values");
                length = n;
            }
        }
        return length;
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) if (t.strip().equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    /** True if the Transfer-Encoding values name the chunked coding once and nothing else. */
    private static boolean onlyChunked(List<String> values) {
        return values.size() == 1 && values.getFirst().strip().equalsIgnoreCase("chunked");
    }

    private static String where(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
