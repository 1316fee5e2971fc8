package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.listener.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reason for the TLS listener: a browser told by the PAC file to use {@code HTTPS host:port} speaks
 * TLS to Gatehouse. Headless Chromium, configured with the PAC URL only, browses a page and meets the
 * block page through the TLS listener. Chromium is told to accept the proxy's key by its SPKI hash (a
 * throwaway key made for this run); a chain without that key fails with ERR_PROXY_CERTIFICATE_INVALID.
 */
class BrowserThroughTlsProxyTest {
    @TempDir
    Path dir;

    @Test
    void chromiumUsesTheHttpsEntryOfThePacFile() throws Exception {
        NodeScripts.requireTools(true);
        HeldCertificate ca = TestCertificates.ca("Gatehouse Test CA");
        HeldCertificate leaf = TestCertificates.server(ca, 7, false);
        Path cert = dir.resolve("proxy.crt");
        Path key = dir.resolve("proxy.key");
        TestCertificates.write(cert, key, leaf, ca);
        String spki = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(leaf.certificate().getPublicKey().getEncoded()));
        int tlsPort = GatehouseProcess.freePort();
        // Chromium would go direct for a loopback name: the page's host resolves to loopback for the proxy only.
        String originHost = "origin.gatehouse.test";
        String config = """
                {"listen": "127.0.0.1:PROXY_PORT", "admin": "127.0.0.1:ADMIN_PORT", "dataDir": "DATA_DIR",
                 "destinations": {"allowPrivate": ["127.0.0.0/8"]},
                 "audit": {"format": "squid"}, "forwarding": {"via": "gatehouse"},
                 "policy": {"file": "%s", "watch": false},
                 "tls": {"listen": "127.0.0.1:%d", "certificateFile": "%s", "keyFile": "%s"},
                 "pac": {"proxies": ["https://127.0.0.1:%d"]}}
                """.formatted(json(AdminServerTest.SHIPPED_POLICY), tlsPort, json(cert), json(key), tlsPort);

        try (TestOrigin origin = new TestOrigin();
             GatehouseProcess gatehouse = GatehouseProcess.start(dir, GatehouseProcess.freePort(), config,
                     List.of("127.0.0.1 localhost", "127.0.0.1 " + originHost))) {
            String page = "http://" + originHost + ":" + origin.port() + "/page.html";
            JsonNode out = NodeScripts.run("browser.mjs", List.of("browse", gatehouse.proxy("/proxy.pac"), page,
                    "http://www.casino.example/", Files.createDirectories(dir.resolve("chromium")).toString(),
                    dir.resolve("netlog.json").toString(), "--ignore-certificate-errors-spki-list=" + spki), 90);

            assertEquals(200, out.get("status").asInt(), out.toString());
            assertEquals(TestOrigin.TITLE, out.get("title").asText());
            assertTrue(out.get("via").asText().contains("gatehouse"), "no Via from the proxy: " + out);
            assertEquals(403, out.get("blockedStatus").asInt(), out.toString());
            List<String> lines = gatehouse.auditLinesOnceContaining(" GET " + page + " ");
            assertTrue(lines.stream().anyMatch(l -> l.contains(" TCP_MISS/200 ") && l.contains(" GET " + page + " ")), String.join("\n", lines));
            assertTrue(Files.readString(dir.resolve("netlog.json")).contains("https://127.0.0.1:" + tlsPort),
                    "Chromium's net log does not show the HTTPS proxy");
        }
    }

    private static String json(Path p) {
        return p.toString().replace("\\", "\\\\");
    }
}
