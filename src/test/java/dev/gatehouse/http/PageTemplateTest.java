package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The organisation's page template: parsed once with precise errors, rendered with every request value escaped. */
class PageTemplateTest {
    private static final String EVERY_PLACEHOLDER = """
            <title>{{status}} {{title}}</title>
            <p>{{explanation}}</p><code>{{url}}</code><dl>{{facts}}</dl>
            <p>id {{requestId}}; {{contact}}</p>{{extra}}
            <p>client {{client}} user {{ user }}</p>
            """;

    @TempDir
    Path dir;

    private static String render(String template, String url, String user, String extra) throws Exception {
        ErrorPages pages = pagesWith(template);
        return new String(pages.render(null, 403, "policy_blocked", "Blocked <now>", "Policy \"says\" no & more.", url,
                List.of(Map.entry("Rule", "no-games"), Map.entry("Reason", "No <games> at work")),
                "r-<1>", "10.0.0.7", user, extra).body(), StandardCharsets.UTF_8);
    }

    private static ErrorPages pagesWith(String template) throws Exception {
        Path file = Files.createTempFile("page", ".html");
        try {
            Files.writeString(file, template);
            return ErrorPages.load("Call \"IT\" & quote the id", file.toString());
        } finally {
            Files.delete(file); // loaded once: the page renders from the parsed template
        }
    }

    @Test
    void everyPlaceholderIsFilledAndEveryRequestValueEscaped() throws Exception {
        String html = render(EVERY_PLACEHOLDER, "http://x.test/<script>alert('1')</script>?a=1&b=\"2\"", "o'brien<",
                "<a href=\"/continue?t=1&amp;u=2\">Continue</a>");

        assertEquals("""
                <title>403 Blocked &lt;now&gt;</title>
                <p>Policy &quot;says&quot; no &amp; more.</p><code>http://x.test/&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;?a=1&amp;b=&quot;2&quot;</code><dl><dt>Rule</dt><dd>no-games</dd><dt>Reason</dt><dd>No &lt;games&gt; at work</dd></dl>
                <p>id r-&lt;1&gt;; Call &quot;IT&quot; &amp; quote the id</p><a href="/continue?t=1&amp;u=2">Continue</a>
                <p>client 10.0.0.7 user o&#39;brien&lt;</p>
                """, html);
    }

    @Test
    void absentValuesRenderEmpty() throws Exception {
        String html = render("<h1>{{title}}</h1>{{explanation}}[{{url}}][{{user}}][{{extra}}]", null, null, null);
        assertTrue(html.endsWith("[][][]"), html);
    }

    @Test
    void bracesThatAreNotAPlaceholderStayLiteral() throws Exception {
        String html = render("<script>var o = {{a: 1}}; x = '{{ }}'</script>{{title}}{{explanation}}", null, null, "");
        assertTrue(html.startsWith("<script>var o = {{a: 1}}; x = '{{ }}'</script>Blocked &lt;now&gt;"), html);
    }

    @Test
    void anUnknownPlaceholderIsReportedWithItsLine() {
        var e = assertThrows(PageTemplate.LoadException.class,
                () -> PageTemplate.parse("etc/pages/acme.html", "<h1>{{title}}</h1>\n<p>{{explanation}}</p>\n<p>{{ requestID }}</p>"));
        assertTrue(e.getMessage().startsWith("etc/pages/acme.html:3: pages.template: unknown placeholder {{ requestID }}; known placeholders: {{status}}, "),
                e.getMessage());
        assertTrue(e.getMessage().contains("{{requestId}}"), e.getMessage());
    }

    @Test
    void titleAndExplanationAreRequired() {
        var e = assertThrows(PageTemplate.LoadException.class, () -> PageTemplate.parse("p.html", "<p>{{url}}</p>"));
        assertEquals("p.html: pages.template must contain {{title}} and {{explanation}} (a page must say what happened), "
                        + "or {{error}} to say it in its own words",
                e.getMessage());
        var onlyTitle = assertThrows(PageTemplate.LoadException.class, () -> PageTemplate.parse("p.html", "{{title}}"));
        assertTrue(onlyTitle.getMessage().contains("must contain {{explanation}} "), onlyTitle.getMessage());
    }

    @Test
    void aTemplateNamingTheErrorSaysWhatHappenedInItsOwnWords() throws Exception {
        String own = "<body data-error=\"{{ error }}\"><p class=\"policy_blocked\">Gesperrt.</p>";
        assertEquals("<body data-error=\"policy_blocked\"><p class=\"policy_blocked\">Gesperrt.</p>", render(own, null, null, null));
        ErrorPages pages = pagesWith(own);
        assertEquals("<body data-error=\"upstream_closed\"><p class=\"policy_blocked\">Gesperrt.</p>",
                new String(pages.render(null, 502, "upstream_closed", "T", "E", null, null, "id", null, null).body(), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.html");
        var e = assertThrows(PageTemplate.LoadException.class, () -> PageTemplate.load(missing));
        assertEquals(missing + ": pages.template not found", e.getMessage());
    }

    @Test
    void aFileOverTheSizeCapIsRefused() throws Exception {
        Path big = dir.resolve("big.html");
        Files.writeString(big, "{{title}}{{explanation}}" + "x".repeat(PageTemplate.MAX_BYTES));
        var e = assertThrows(PageTemplate.LoadException.class, () -> PageTemplate.load(big));
        assertTrue(e.getMessage().startsWith(big + ": pages.template is " + Files.size(big) + " bytes, more than the 262144 allowed"),
                e.getMessage());

        Path justFits = dir.resolve("fits.html");
        Files.writeString(justFits, "{{title}}{{explanation}}" + "x".repeat(PageTemplate.MAX_BYTES - 24));
        assertEquals(PageTemplate.MAX_BYTES, Files.size(justFits));
        PageTemplate.load(justFits);
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws Exception {
        Path latin1 = dir.resolve("latin1.html");
        Files.write(latin1, "{{title}}{{explanation}} Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(PageTemplate.LoadException.class, () -> PageTemplate.load(latin1));
        assertEquals(latin1 + ": pages.template is not UTF-8 text", e.getMessage());
    }

    @Test
    void withoutATemplateTheBuiltInPageIsUnchanged() throws Exception {
        List<Map.Entry<String, String>> facts = List.of(Map.entry("Rule", "r"));
        byte[] builtIn = ErrorPage.render(403, "T", "E", "http://u/", facts, "id", "contact", "<p>x</p>");
        byte[] viaPages = ErrorPages.load("contact", "").render("de", 403, "policy_blocked", "T", "E", "http://u/", facts, "id", "1.2.3.4", "u", "<p>x</p>").body();
        assertEquals(new String(builtIn, StandardCharsets.UTF_8), new String(viaPages, StandardCharsets.UTF_8));
        assertFalse(new String(viaPages, StandardCharsets.UTF_8).contains("{{"));
    }

    @Test
    void reloadPicksUpAChangedTemplateAndKeepsTheOldOneWhenTheNewOneIsBroken() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "v1 {{title}} {{explanation}}");
        ErrorPages pages = ErrorPages.load("", file.toString());
        Files.writeString(file, "v2 {{title}} {{explanation}}");
        pages.reload();
        assertEquals("v2 T E", new String(pages.render(null, 502, "upstream_closed", "T", "E", null, null, "id", null, null).body(), StandardCharsets.UTF_8));
        Files.writeString(file, "v3 {{title}} {{explantion}}");
        assertThrows(PageTemplate.LoadException.class, pages::reload);
        assertEquals("v2 T E", new String(pages.render(null, 502, "upstream_closed", "T", "E", null, null, "id", null, null).body(), StandardCharsets.UTF_8));
    }

    @Test
    void theShippedExampleLoadsAndUsesEveryPlaceholder() throws Exception {
        Path example = Path.of("etc/pages/example.html");
        PageTemplate.load(example);
        String text = Files.readString(example);
        for (PageTemplate.Placeholder p : PageTemplate.Placeholder.values()) {
            if (p == PageTemplate.Placeholder.LANGUAGE) continue; // an English file says lang="en"; a template per language may use it
            assertTrue(text.contains("{{" + p.key() + "}}"), p.key());
        }
    }
}
