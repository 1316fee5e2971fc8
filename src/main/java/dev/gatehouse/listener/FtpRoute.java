package dev.gatehouse.listener;

import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Sends an {@code ftp://} request to the FTP gateway here, or, when parent proxies are configured and the host
 * is not in {@code directDomains}, to a parent as an absolute-form HTTP request (what Squid does with a parent):
 * the parent is then the gateway.
 */
final class FtpRoute implements HttpHandler {
    private final ParentProxies parents;
    private final HttpHandler gateway;
    private final HttpHandler viaParent;

    FtpRoute(ParentProxies parents, HttpHandler gateway, HttpHandler viaParent) {
        this.parents = parents;
        this.gateway = gateway;
        this.viaParent = viaParent;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        FtpTarget target = exchange.getAttachment(Exchanges.FTP_TARGET);
        if (parents.route(target.host()).isEmpty()) {
            gateway.handleRequest(exchange);
            return;
        }
        if (!target.isAnonymous() && !exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            // The URL's user info never enters the target (see RouteHandler), so the login goes to the parent as
            // Basic credentials, which its FTP gateway takes as the login (Squid's does, and so does this one's).
            exchange.getRequestHeaders().put(Headers.AUTHORIZATION, ParentProxies.basic(target.user(), target.password()));
        }
        viaParent.handleRequest(exchange);
    }
}
