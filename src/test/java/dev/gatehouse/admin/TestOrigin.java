package dev.gatehouse.admin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A small origin server on loopback for tests that drive real traffic through Gatehouse: {@code /page.html}
 * (an HTML page with a title), {@code /data.bin} (64 KiB), anything else 404.
 */
final class TestOrigin implements AutoCloseable {
    static final String TITLE = "Gatehouse test page";
    private final HttpServer server;

    TestOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            byte[] body;
            int status = 200;
            String type = "text/html; charset=utf-8";
            switch (ex.getRequestURI().getPath()) {
                case "/page.html" -> body = ("<!doctype html><html><head><title>" + TITLE + "</title></head>"
                        + "<body><h1 id=\"greeting\">Hello through the proxy</h1></body></html>").getBytes(StandardCharsets.UTF_8);
                case "/data.bin" -> {
                    body = new byte[64 * 1024];
                    type = "application/octet-stream";
                }
                default -> {
                    status = 404;
                    body = "not here\n".getBytes(StandardCharsets.UTF_8);
                    type = "text/plain";
                }
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
