package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One page template per language ({@code pages.templates}, Squid's {@code error_directory} negotiation) through
 * real sockets: the client's {@code Accept-Language} picks the page, which says its language and that it varies
 * by it; no or no matching preference gives the default; a SIGHUP with one broken file keeps the whole running set.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PageLanguageIT {
    private static final String ENGLISH = """
            <!DOCTYPE html>
            <html lang="{{language}}"><head><meta charset="utf-8"><title>{{status}} {{title}}</title></head>
            <body><h1>ACME web access: {{title}}</h1><p>{{explanation}}</p><p>Reference {{requestId}}</p></body></html>
            """;
    private static final String GERMAN = """
            <!DOCTYPE html>
            <html lang="{{language}}"><head><meta charset="utf-8"><title>{{status}} {{title}}</title></head>
            <body data-error="{{error}}"><h1>ACME Internetzugang: {{title}}</h1><p>{{explanation}}</p><p>Vorgangsnummer {{requestId}}</p></body></html>
            """;
    private static final String POLICY = """
            {
              "schemaVersion": 1,
              "name": "test",
              "defaultAction": { "action": "allow" },
              "categorySources": [ { "format": "inline", "category": "games", "domains": ["games.test"] } ],
              "rules": [ { "id": "no-games", "match": { "category": ["games"] }, "action": "block" } ]
            }
            """;

    @TempDir
    Path dir;
    private Path english;
    private Path german;
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws IOException {
        english = Files.writeString(dir.resolve("en.html"), ENGLISH);
        german = Files.writeString(dir.resolve("de.html"), GERMAN);
        Path policy = Files.writeString(dir.resolve("policy.json"), POLICY);
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/policy").put("file", policy.toString());
            c.withObject("/pages/templates").put("en", english.toString()).put("de", german.toString());
            c.withObject("/pages").put("defaultLanguage", "en");
        });
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
    }

    private RawConnection.Response blocked(String acceptLanguageField) throws IOException {
        return RawConnection.roundTrip(proxy.proxyAddress(), "GET http://www.games.test/ HTTP/1.1\r\nHost: www.games.test\r\n"
                + (acceptLanguageField == null ? "" : acceptLanguageField + "\r\n") + "\r\n");
    }

    @Test
    void aBrowserPreferringGermanGetsTheGermanBlockPage() throws Exception {
        RawConnection.Response r = blocked("Accept-Language: de-DE,de;q=0.9,en;q=0.5");

        assertEquals(403, r.status());
        assertTrue(r.text().startsWith("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>403 Blocked by policy</title>"), r.text());
        assertTrue(r.text().contains("<body data-error=\"policy_blocked\"><h1>ACME Internetzugang: Blocked by policy</h1>"), r.text());
        assertEquals("de", r.header("Content-Language"));
        assertEquals("Accept-Language", r.header("Vary"));
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void withoutAcceptLanguageTheDefaultLanguagesPageIsSent() throws Exception {
        RawConnection.Response r = blocked(null);

        assertEquals(403, r.status());
        assertTrue(r.text().contains("<html lang=\"en\">") && r.text().contains("<h1>ACME web access: Blocked by policy</h1>"), r.text());
        assertEquals("en", r.header("Content-Language"));
        assertEquals("Accept-Language", r.header("Vary"));
    }

    @Test
    void aLanguageNoTemplateIsForGetsTheDefault() throws Exception {
        RawConnection.Response r = blocked("Accept-Language: ja-JP, ja;q=0.9, fr;q=0.2");

        assertTrue(r.text().contains("<h1>ACME web access: Blocked by policy</h1>"), r.text());
        assertEquals("en", r.header("Content-Language"));
    }

    @Test
    void fieldLinesAreOneListAndQZeroRulesALanguageOut() throws Exception {
        assertEquals("de", blocked("Accept-Language: ja\r\nAccept-Language: de-CH").header("Content-Language"));
        assertEquals("en", blocked("Accept-Language: de-CH, de;q=0").header("Content-Language"));
    }

    @Test
    void failurePagesAreChosenByLanguageToo() throws Exception {
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "GET http://no-such-host.invalid/ HTTP/1.1\r\nHost: no-such-host.invalid\r\nAccept-Language: de\r\n\r\n");

        assertEquals(502, r.status());
        assertTrue(r.text().contains("<body data-error=\"dns_failure\"><h1>ACME Internetzugang: Bad Gateway</h1>"), r.text());
        assertEquals("de", r.header("Content-Language"));
        assertEquals("Accept-Language", r.header("Vary"));
    }

    @Test
    void sighupWithOneBrokenTemplateKeepsTheWholeRunningSet() throws Exception {
        Files.writeString(english, ENGLISH.replace("ACME web access", "ACME web access (new)"));
        Files.writeString(german, GERMAN.replace("{{explanation}}", "{{erklaerung}}"));
        proxy.gatehouse().hangup();

        assertTrue(blocked("Accept-Language: en").text().contains("<h1>ACME web access: Blocked by policy</h1>"),
                "the good new English file is not applied without the German one");
        assertTrue(blocked("Accept-Language: de").text().contains("<h1>ACME Internetzugang: Blocked by policy</h1>"));
        assertTrue(proxy.takeWarnings().stream().anyMatch(l -> l.contains("pages: templates not reloaded (SIGHUP)")
                && l.contains(german + ":3: pages.templates.de: unknown placeholder {{erklaerung}}")), "the log names file, line and field");

        Files.writeString(german, GERMAN.replace("ACME Internetzugang", "ACME Internetzugang (neu)"));
        proxy.gatehouse().hangup();

        assertTrue(blocked("Accept-Language: en").text().contains("<h1>ACME web access (new): Blocked by policy</h1>"));
        assertTrue(blocked("Accept-Language: de").text().contains("<h1>ACME Internetzugang (neu): Blocked by policy</h1>"));
    }
}
