package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.http.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The organisation's own page layout ({@code pages.template}, Squid's {@code error_directory}) through real
 * sockets: block, warn and failure pages are the template with the request's values filled in and escaped,
 * a SIGHUP re-reads it, and without the setting the built-in page is unchanged.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PageTemplateIT {
    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><title>{{status}} {{title}}</title></head>
            <body><h1>ACME: {{title}}</h1><p>{{explanation}}</p>
            <p>Adresse: {{url}}</p><dl>{{facts}}</dl>
            <p>Vorgang {{requestId}} von {{client}}</p><p>{{contact}}</p>{{extra}}
            <form action="https://helpdesk.acme.example/exception"><input type="hidden" name="id" value="{{requestId}}"></form>
            </body></html>
            """;
    private static final String POLICY = """
            {
              "schemaVersion": 1,
              "name": "test",
              "defaultAction": { "action": "allow" },
              "categorySources": [ { "format": "inline", "category": "games", "domains": ["games.test"] },
                                   { "format": "inline", "category": "news", "domains": ["news.test"] } ],
              "rules": [
                { "id": "no-games", "match": { "category": ["games"] }, "action": "block", "reason": "No <games> & \\"fun\\" at work" },
                { "id": "careful-news", "match": { "category": ["news"] }, "action": "warn", "reason": "Be careful" }
              ]
            }
            """;
    private static final Pattern CONTINUE_LINK = Pattern.compile("<p><a href=\"(http://www\\.news\\.test/[^\"]+)\">Continue to the site</a>");

    @TempDir
    Path dir;
    private GatehouseFixture proxy;

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
    }

    /** Starts with {@link #TEMPLATE} as {@code pages.template}; returns the file. */
    private Path startWithTemplate() throws IOException {
        Path template = Files.writeString(dir.resolve("page.html"), TEMPLATE);
        start(c -> c.withObject("/pages").put("template", template.toString()));
        return template;
    }

    private void start(Consumer<ObjectNode> pages) throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.json"), POLICY);
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/policy").put("file", policy.toString());
            c.withObject("/forwarding").put("contact", "Hilfe: Durchwahl <2222> & Ticket");
            pages.accept(c);
        });
    }

    /** The template with the values the proxy should fill in, escaped by hand. */
    private static String expected(String status, String title, String explanation, String url, String facts, String id,
                                   String extra) {
        return TEMPLATE.replace("{{status}}", status).replace("{{title}}", title).replace("{{explanation}}", explanation)
                .replace("{{url}}", url).replace("{{facts}}", facts).replace("{{requestId}}", id)
                .replace("{{client}}", "127.0.0.1").replace("{{contact}}", "Hilfe: Durchwahl &lt;2222&gt; &amp; Ticket")
                .replace("{{extra}}", extra);
    }

    @Test
    void aBlockedRequestGetsTheTemplateWithRuleReasonAndUrlEscaped() throws Exception {
        startWithTemplate();

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "GET http://www.games.test/play?who=o'brien&x=1 HTTP/1.1\r\nHost: www.games.test\r\n\r\n");

        assertEquals(403, r.status());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("http://www.games.test/play?who=o'brien&x=1", record.get("url").asText());
        assertEquals(expected("403", "Blocked by policy", Failure.POLICY_BLOCKED.explanation(),
                "http://www.games.test/play?who=o&#39;brien&amp;x=1",
                "<dt>Rule</dt><dd>no-games</dd><dt>Category</dt><dd>games</dd>"
                        + "<dt>Reason</dt><dd>No &lt;games&gt; &amp; &quot;fun&quot; at work</dd>",
                record.get("requestId").asText(), ""), r.text());
    }

    @Test
    void aDnsFailureGetsTheTemplateToo() throws Exception {
        startWithTemplate();

        HttpResponse<String> r = get("http://no-such-host.invalid/a?b=1&c=2");

        assertEquals(502, r.statusCode());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("dns_failure", record.get("error").asText());
        assertEquals(expected("502", "Bad Gateway", Failure.DNS_FAILURE.explanation(), "http://no-such-host.invalid/a?b=1&amp;c=2",
                "<dt>Detail</dt><dd>cannot resolve no-such-host.invalid</dd>", record.get("requestId").asText(), ""), r.body());
    }

    @Test
    void theWarnPageCarriesItsContinueLinkUnescapedInTheTemplate() throws Exception {
        startWithTemplate();

        HttpResponse<String> r = get("http://www.news.test/today");

        assertEquals(403, r.statusCode());
        assertTrue(r.body().startsWith("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>403 Are you sure?</title>"),
                r.body());
        Matcher link = CONTINUE_LINK.matcher(r.body());
        assertTrue(link.find(), "the continue link is markup, not text: " + r.body());
        assertTrue(r.body().contains("<dt>Rule</dt><dd>careful-news</dd>"), r.body());
    }

    @Test
    void sighupRereadsTheTemplateAndABrokenOneLeavesTheRunningOne() throws Exception {
        Path template = startWithTemplate();
        Files.writeString(template, TEMPLATE.replace("ACME:", "ACME neu:"));
        proxy.gatehouse().hangup();
        assertTrue(blockedPage().contains("<h1>ACME neu: Blocked by policy</h1>"));

        Files.writeString(template, "<h1>{{title}}</h1>{{explanation}} {{ticket}}");
        proxy.gatehouse().hangup();
        assertTrue(blockedPage().contains("<h1>ACME neu: Blocked by policy</h1>"), "the running template stays");
        assertTrue(proxy.takeWarnings().stream().anyMatch(l -> l.contains("pages: template not reloaded (SIGHUP)")
                && l.contains(template + ":1: pages.template: unknown placeholder {{ticket}}")));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String blockedPage() throws Exception {
        return get("http://www.games.test/").body();
    }

    @Test
    void withoutATemplateTheBuiltInPageIsUnchanged() throws Exception {
        start(c -> { });

        String html = blockedPage();

        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"), html);
        assertTrue(html.contains("<h1>Blocked by policy</h1>"), html);
        assertTrue(html.contains("<dt>Rule</dt><dd>no-games</dd>"), html);
        assertTrue(html.endsWith("<p>Hilfe: Durchwahl &lt;2222&gt; &amp; Ticket</p>\n<p><small>Gatehouse</small></p>\n</body></html>\n"), html);
        assertFalse(html.contains("ACME"), html);
    }
}
