package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.auth.Authenticator;
import dev.gatehouse.bandwidth.BandwidthLimits;
import dev.gatehouse.auth.FailureThrottle;
import dev.gatehouse.auth.KerberosAcceptor;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.cache.QuickAbort;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.Via;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.pac.PacFile;
import dev.gatehouse.policy.PolicyHolder;
import dev.gatehouse.tunnel.TunnelConnector;
import dev.gatehouse.tunnel.TunnelRegistry;
import dev.gatehouse.upstream.UpstreamClient;
import dev.gatehouse.upstream.ftp.FtpGateway;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.Executor;

/** Builds the proxy's handler chain in one place, so a request's path reads top to bottom. */
public final class ProxyHandlers {
    private ProxyHandlers() {}

    /**
     * What the chain needs from the application.
     *
     * @param policy        the access policy, or null when none is configured (everything allowed)
     * @param cache         the shared cache, or null when {@code cache.enabled} is off
     * @param ftp           the {@code ftp://} gateway, or null for none ({@code ftp://} URLs then get 501)
     * @param authenticator verifies proxy logins (and finds Kerberos users' groups), or null when authentication is off
     * @param kerberos      accepts Kerberos tickets ({@code Negotiate}), or null when {@code auth.negotiate} is off
     * @param icap          scans responses with an ICAP service, or null when {@code icap.respmod} is off
     * @param reqmod        scans uploads (request bodies) with an ICAP REQMOD service, or null when {@code icap.reqmod} is off
     */
    public record Parts(GatehouseConfig config, AuditLog audit, PolicyHolder policy, UpstreamClient upstream,
                        TunnelConnector connector, TunnelRegistry tunnels, Executor executor,
                        HttpCache cache, FtpGateway ftp, Authenticator authenticator, KerberosAcceptor kerberos,
                        ErrorPages pages, IcapClient icap, IcapClient reqmod) {
        /** Parts without a cache, an FTP gateway or authentication, with the built-in page layout. */
        public Parts(GatehouseConfig config, AuditLog audit, PolicyHolder policy, UpstreamClient upstream,
                     TunnelConnector connector, TunnelRegistry tunnels, Executor executor) {
            this(config, audit, policy, upstream, connector, tunnels, executor, null, null, null, null,
                    ErrorPages.builtIn(config.forwarding().contact()), null, null);
        }
    }

    /**
     * The built chain: the root handler, plus the pieces the server needs to reach (the error responder too,
     * for requests refused before they reach the chain).
     */
    record Chain(HttpHandler root, GracefulShutdownHandler shutdown, AuditTrail trail, ErrorResponder errors) {}

    static PacFile pac(GatehouseConfig config) {
        return PacFile.from(config);
    }

    /**
     * The cache in front of an origin handler: hits answered here, misses and revalidations stored as they
     * stream. {@code background}: whether the cache may fetch from the origin on its own (stale-while-revalidate,
     * whole objects after a range miss); that goes through the HTTP client, so only for {@code http://}.
     */
    private static HttpHandler cache(HttpHandler origin, Parts parts, Via via, ErrorResponder errors, boolean background,
                                     ResponseRuleCheck rules) {
        GatehouseConfig config = parts.config();
        StoredResponder responder = new StoredResponder(via, config.cache().xCacheHeader(), rules);
        BackgroundFetch fetch = background ? new BackgroundFetch(parts.cache(), parts.upstream(), via, parts.executor(),
                config.cache().rangeFillMaxBytes(), parts.icap()) : null;
        GatehouseConfig.QuickAbort quickAbort = config.cache().quickAbort();
        return new CacheHandler(origin, parts.cache(), responder, fetch, errors, Path.of(config.dataDir(), "cache", "tmp"),
                parts.executor(), new QuickAbort(quickAbort.minBytes(), quickAbort.maxBytes(), quickAbort.percent()));
    }

    /** Proxy login for the networks that must authenticate; the identity then feeds policy and audit. */
    private static HttpHandler auth(HttpHandler next, Parts parts, ErrorResponder errors) {
        GatehouseConfig.Auth auth = parts.config().auth();
        FailureThrottle throttle = new FailureThrottle(auth.maxFailures(), auth.failureTtl(), auth.failureDelay());
        return new ProxyAuthHandler(next, parts.authenticator(), parts.kerberos(), auth.basicOffered(),
                AddressRanges.parse(auth.networks()), AddressRanges.parse(auth.exempt()), auth.realm(), throttle,
                auth.onUnavailable().equals("anonymous"), errors, parts.executor());
    }

    /**
     * The {@code ftp://} gateway, behind the cache for anonymous logins only: a login's files are that
     * user's, not to be shared (as with {@code Authorization}, RFC 9111 §3.5), and a URL path is relative to
     * the user's login directory (RFC 1738 §3.2.2), so one URL names different files for different users.
     * With parent proxies, {@code forward} sends the URL to a parent instead, as Squid does.
     */
    private static HttpHandler ftp(Parts parts, Via via, ErrorResponder errors, OriginRelay relay, HttpHandler forward,
                                   ResponseRuleCheck rules) {
        FtpHandler direct = new FtpHandler(parts.ftp(), via, errors, relay, parts.executor());
        HttpHandler gateway = parts.upstream().parents().enabled() ? new FtpRoute(parts.upstream().parents(), direct, forward) : direct;
        if (parts.cache() == null) return gateway;
        HttpHandler cached = cache(gateway, parts, via, errors, false, rules);
        return exchange -> (exchange.getAttachment(Exchanges.FTP_TARGET).isAnonymous() ? cached : gateway).handleRequest(exchange);
    }

    static Chain chain(Parts parts, Map<Object, ConnectionTap> taps) {
        GatehouseConfig config = parts.config();
        ErrorResponder errors = new ErrorResponder(parts.pages());

        Via via = new Via(config.forwarding().via());
        BandwidthLimits bandwidth = BandwidthLimits.from(config.bandwidth()); // shared: the WAN link is one
        // Response rules: one check for the origin's answers and the cache's, against the running policy.
        ResponseRuleCheck rules = parts.policy() == null ? ResponseRuleCheck.NONE
                : new ResponseRuleCheck(parts.policy(), new BlockPage(parts.pages()));
        OriginRelay relay = new OriginRelay(errors, bandwidth.download(), parts.icap(), rules);
        HttpHandler forward = new ForwardHandler(parts.upstream(), via, config.forwarding().xForwardedFor(), errors, relay,
                bandwidth.upload(), parts.reqmod(), parts.executor());
        // 100 Continue goes out when the forward path first reads the body, i.e. after every check passed.
        forward = new HttpContinueReadHandler(forward);
        HttpHandler toOrigin = forward; // without the cache: an ftp:// URL sent to a parent goes through the ftp one
        if (parts.cache() != null) forward = cache(forward, parts, via, errors, true, rules);

        AuditTrail trail = new AuditTrail(parts.audit());
        HttpHandler connect = new ConnectHandler(new HashSet<>(config.destinations().connectPorts()),
                parts.connector(), parts.tunnels(), config.tunnel().idleTimeout(), config.forwarding().responseTimeout(), errors,
                bandwidth, parts.executor());

        HttpHandler ftp = parts.ftp() == null ? null : ftp(parts, via, errors, relay, toOrigin, rules);

        if (parts.policy() != null) {
            // One allowance store for all routes: a continue granted over http also opens the tunnel.
            WarnAllowances allowances = new WarnAllowances(config.policy().warnAllowance());
            connect = new PolicyHandler(connect, parts.policy(), allowances, errors, parts.pages());
            forward = new PolicyHandler(forward, parts.policy(), allowances, errors, parts.pages());
            if (ftp != null) ftp = new PolicyHandler(ftp, parts.policy(), allowances, errors, parts.pages());
        }
        if (parts.cache() != null) {
            // Before the policy: an administrator's purge is not a visit to the URL.
            forward = new PurgeHandler(forward, parts.cache(), AddressRanges.parse(config.cache().purgeClients()),
                    errors, parts.executor());
        }
        HttpHandler route = new RouteHandler(connect, forward, ftp, new LocalHandler(errors, pac(config)), errors);
        HttpHandler limits = new RequestLimitsHandler(route, config.limits().maxUrlLength(),
                config.limits().maxHeaderBytes(), config.limits().maxHeaderCount(), errors);
        HttpHandler identity = parts.authenticator() == null ? limits : auth(limits, parts, errors);
        HttpHandler access = new ClientAccessHandler(identity, AddressRanges.parse(config.clients().allow()), errors);
        GracefulShutdownHandler shutdown = new GracefulShutdownHandler(access);
        HttpHandler audit = new AuditHandler(shutdown, trail, new RequestIds(), taps);
        return new Chain(audit, shutdown, trail, errors);
    }
}
