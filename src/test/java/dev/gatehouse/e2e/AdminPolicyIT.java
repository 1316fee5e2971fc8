package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin listener answers explain and reload with the same code as the CLI and SIGHUP. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminPolicyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient admin = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private GatehouseFixture proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
    }

    private HttpResponse<String> call(String method, String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + pathAndQuery);
        return admin.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void explainAndReloadOnTheAdminListener() throws Exception {
        Path shipped = Path.of(System.getProperty("gatehouse.repo", "."), "policies", "default.json");
        proxy = GatehouseFixture.start(c -> c.withObject("/policy").put("file", shipped.toString()).put("watch", false));

        HttpResponse<String> explained = call("GET", "/explain?url="
                + URLEncoder.encode("http://www.casino.example/x", StandardCharsets.UTF_8) + "&client=10.1.2.3");
        assertEquals(200, explained.statusCode(), explained.body());
        JsonNode e = JSON.readTree(explained.body());
        assertEquals("BLOCK", e.get("decision").get("action").asText());
        assertEquals("no-gambling", e.get("decision").get("ruleId").asText());
        assertTrue(e.get("categoryOrigins").get(0).get("source").asText().endsWith("gambling/domains"));

        HttpResponse<String> tunnel = call("GET", "/explain?url=10.0.0.1:443");
        assertEquals("no-https-to-ip-literals", JSON.readTree(tunnel.body()).get("decision").get("ruleId").asText());

        assertEquals(400, call("GET", "/explain?url=http://bad%20host/").statusCode());
        assertEquals(405, call("GET", "/reload").statusCode());
        HttpResponse<String> reloaded = call("POST", "/reload");
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertTrue(JSON.readTree(reloaded.body()).get("applied").asBoolean());
    }
}
