package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config} and {@code run} parse {@code pages.template} as the proxy would, naming file, line and placeholder. */
class CheckConfigPagesTest {
    @TempDir
    Path dir;

    private MainRun run(String command, Path template) throws Exception {
        return MainRun.withConfig(command, dir, "\"pages\": {\"template\": \"" + template + "\"}");
    }

    @Test
    void aGoodTemplateIsNamedInTheOutput() throws Exception {
        Path template = Files.writeString(dir.resolve("page.html"), "<h1>{{title}}</h1>\n<p>{{explanation}}</p>\n");
        MainRun r = run("check-config", template);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(template + ": OK (page template for block, warn and error pages)"), r.out());
    }

    @Test
    void anUnknownPlaceholderStopsCheckAndStartWithItsLine() throws Exception {
        Path template = Files.writeString(dir.resolve("page.html"), "<h1>{{title}}</h1>\n<p>{{explanation}}</p>\n<p>{{ticket}}</p>\n");
        MainRun check = run("check-config", template);
        assertEquals(3, check.exit(), check.out());
        assertTrue(check.err().contains("gatehouse: " + template + ":3: pages.template: unknown placeholder {{ticket}}"), check.err());
        MainRun start = run("run", template);
        assertEquals(3, start.exit(), start.out());
        assertTrue(start.err().startsWith("gatehouse: " + template + ":3: pages.template: unknown placeholder {{ticket}}"), start.err());
    }

    @Test
    void aMissingTemplateStopsTheStart() throws Exception {
        Path missing = dir.resolve("nope.html");
        MainRun check = run("check-config", missing);
        assertEquals(3, check.exit(), check.out());
        assertTrue(check.err().contains("gatehouse: " + missing + ": pages.template not found"), check.err());
        MainRun start = run("run", missing);
        assertEquals(3, start.exit(), start.out());
    }

    @Test
    void anUnknownKeyUnderPagesIsAConfigError() throws Exception {
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"policy": {"file": "", "watch": false},
                 "pages": {"templat": "x.html"}}
                """);
        MainRun r = MainRun.of("check-config", config);
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains(config + ":2:") && r.err().contains("/pages/templat: unknown key \"templat\"; known keys here: template, templates, defaultLanguage"), r.err());
    }

    private static final String GOOD = "<h1>{{title}}</h1>\n<p>{{explanation}}</p>\n";

    private MainRun runWithLanguages(String command, Path en, Path de) throws Exception {
        return MainRun.withConfig(command, dir, "\"pages\": {\"templates\": {\"en\": \"" + en + "\", \"de\": \"" + de
                + "\"}, \"defaultLanguage\": \"en\"}");
    }

    @Test
    void everyLanguagesTemplateIsNamedInTheOutput() throws Exception {
        Path en = Files.writeString(dir.resolve("en.html"), GOOD);
        Path de = Files.writeString(dir.resolve("de.html"), "<html lang=\"{{language}}\">" + GOOD);
        MainRun r = runWithLanguages("check-config", en, de);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(en + ": OK (page template for block, warn and error pages, language en)"), r.out());
        assertTrue(r.out().contains(de + ": OK (page template for block, warn and error pages, language de)"), r.out());
    }

    @Test
    void aBrokenLanguagesTemplateStopsCheckAndStartNamingFileLineAndField() throws Exception {
        Path en = Files.writeString(dir.resolve("en.html"), GOOD);
        Path de = Files.writeString(dir.resolve("de.html"), GOOD + "<p>{{vorgang}}</p>\n");
        MainRun check = runWithLanguages("check-config", en, de);
        assertEquals(3, check.exit(), check.out());
        assertTrue(check.err().contains("gatehouse: " + de + ":3: pages.templates.de: unknown placeholder {{vorgang}}"), check.err());
        MainRun start = runWithLanguages("run", en, de);
        assertEquals(3, start.exit(), start.out());
        assertTrue(start.err().startsWith("gatehouse: " + de + ":3: pages.templates.de: unknown placeholder {{vorgang}}"), start.err());
        MainRun missing = runWithLanguages("check-config", dir.resolve("nope.html"), de);
        assertTrue(missing.err().contains("gatehouse: " + dir.resolve("nope.html") + ": pages.templates.en not found"), missing.err());
    }

    @Test
    void aLanguageTagThatIsNotOneIsAConfigErrorWithItsLine() throws Exception {
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"policy": {"file": "", "watch": false},
                 "pages": {"templates": {"en": "en.html",
                                         "de_CH": "de.html"}, "defaultLanguage": "en"}}
                """);
        MainRun r = MainRun.of("check-config", config);
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains(config + ":3:") && r.err().contains("/pages/templates/de_CH: 'de_CH' is not a language tag"), r.err());
    }
}
