package dev.gatehouse.listener;

import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Sends an {@code ftp://} request to the FTP gateway here, or, when parent proxies are configured and the host
 * is not in {@code directDomains}, to a parent as an absolute-form HTTP request (what Squid does with a parent):
 * the parent is then the gateway. With {@code fallbackDirect}, a request that finds no parent up comes back to the
 * gateway here ({@link OriginRelay#failed}).
 */
final class FtpRoute implements HttpHandler {
    private final ParentProxies parents;
    private final FtpHandler gateway;
    private final HttpHandler viaParent;

    FtpRoute(ParentProxies parents, FtpHandler gateway, HttpHandler viaParent) {
        this.parents = parents;
        this.gateway = gateway;
        this.viaParent = viaParent;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        FtpTarget target = exchange.getAttachment(Exchanges.FTP_TARGET);
        if (!parents.viaParent(target.host())) {
            gateway.handleRequest(exchange);
            return;
        }
        if (!target.isAnonymous() && !exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            // The URL's user info never enters the target (see RouteHandler), so the login goes to the parent as
            // Basic credentials, which its FTP gateway takes as the login (Squid's does, and so does this one's).
            exchange.getRequestHeaders().put(Headers.AUTHORIZATION, ParentProxies.basic(target.user(), target.password()));
        }
        // With fallbackDirect, "direct" for an ftp:// URL is the gateway here (UpstreamClient only goes direct over HTTP).
        if (parents.fallbackDirect()) exchange.putAttachment(Exchanges.PARENT_FALLBACK, gateway);
        viaParent.handleRequest(exchange);
    }
}
