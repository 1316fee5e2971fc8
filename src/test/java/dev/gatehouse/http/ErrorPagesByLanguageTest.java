package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pages.templates}: one template per language, chosen by {@code Accept-Language}, reloaded all or none. */
class ErrorPagesByLanguageTest {
    @TempDir
    Path dir;

    private Path en;
    private Path de;

    private ErrorPages load(String defaultLanguage) throws Exception {
        en = Files.writeString(dir.resolve("en.html"), "<html lang=\"{{language}}\">EN {{title}}: {{explanation}}");
        de = Files.writeString(dir.resolve("de.html"), "<html lang=\"{{language}}\">DE {{title}}: {{explanation}}");
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("en", en.toString());
        templates.put("de", de.toString());
        return ErrorPages.load("", "", templates, defaultLanguage);
    }

    private static ErrorPages.Page page(ErrorPages pages, String acceptLanguage) {
        return pages.render(acceptLanguage, 403, "policy_blocked", "T", "E", null, null, "id", null, null);
    }

    private static String text(ErrorPages.Page page) {
        return new String(page.body(), StandardCharsets.UTF_8);
    }

    @Test
    void thePreferredLanguagesTemplateIsRenderedAndNamed() throws Exception {
        ErrorPages pages = load("en");
        ErrorPages.Page german = page(pages, "de-DE,de;q=0.9,en;q=0.5");
        assertEquals("<html lang=\"de\">DE T: E", text(german));
        assertEquals("de", german.language());
        assertEquals("<html lang=\"en\">EN T: E", text(page(pages, null)));
        assertEquals("en", page(pages, "ja").language());
        assertTrue(pages.negotiated());
    }

    @Test
    void theDefaultLanguageIsMatchedCaseInsensitivelyAndNeedNotComeFirst() throws Exception {
        ErrorPages pages = load("DE");
        assertEquals("de", page(pages, null).language());
        assertEquals("de", page(pages, "fr").language());
        assertEquals("en", page(pages, "en-GB").language());
    }

    @Test
    void oneTemplateForEveryoneHasNoLanguage() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "[{{language}}] {{title}} {{explanation}}");
        ErrorPages pages = ErrorPages.load("", file.toString());
        ErrorPages.Page page = page(pages, "de");
        assertEquals("[] T E", text(page));
        assertNull(page.language());
        assertFalse(pages.negotiated());
        assertNull(page(ErrorPages.builtIn(""), "de").language());
    }

    @Test
    void aReloadWithOneBrokenTemplateKeepsAllTheRunningOnes() throws Exception {
        ErrorPages pages = load("en");
        Files.writeString(en, "EN2 {{title}} {{explanation}}");
        Files.writeString(de, "DE2 {{title}} {{explantion}}");
        var e = assertThrows(PageTemplate.LoadException.class, pages::reload);
        assertTrue(e.getMessage().startsWith(de + ":1: pages.templates.de: unknown placeholder {{explantion}}"), e.getMessage());
        assertEquals("<html lang=\"en\">EN T: E", text(page(pages, "en")), "the good new English file is not half-applied");
        assertEquals("<html lang=\"de\">DE T: E", text(page(pages, "de")));

        Files.writeString(de, "DE2 {{title}} {{explanation}}");
        pages.reload();
        assertEquals("EN2 T E", text(page(pages, "en")));
        assertEquals("DE2 T E", text(page(pages, "de")));
    }

    @Test
    void theShippedGermanExampleLoadsAndUsesEveryPlaceholder() throws Exception {
        Path example = Path.of("etc/pages/example.de.html");
        PageTemplate.load(example, "pages.templates.de");
        String text = Files.readString(example);
        for (PageTemplate.Placeholder p : PageTemplate.Placeholder.values()) {
            assertTrue(text.contains("{{" + p.key() + "}}"), p.key());
        }
        ErrorPages pages = ErrorPages.load("", "", Map.of("de", example.toString()), "de");
        assertTrue(text(page(pages, "de-AT")).startsWith("<!DOCTYPE html>\n<!-- German counterpart"), "comments are filled in too");
        assertTrue(text(page(pages, "de-AT")).contains("<html lang=\"de\">"));
    }
}
