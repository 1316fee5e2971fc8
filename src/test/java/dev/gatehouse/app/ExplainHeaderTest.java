package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse explain --header "Name: value"} feeds the header matcher; response rules are listed, not decided. */
class ExplainHeaderTest {
    @TempDir
    Path dir;

    private MainRun explain(String... more) throws IOException {
        String repo = System.getProperty("gatehouse.repo");
        Path policy = Path.of(repo == null ? "." : repo).toAbsolutePath().resolve("src/test/resources/policy/good/response-rules.json");
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s", "policy": {"file": "%s", "watch": false}}
                """.formatted(dir.resolve("var"), policy));
        String[] args = new String[more.length + 4];
        args[0] = "explain";
        args[1] = "http://dl.example/file";
        System.arraycopy(more, 0, args, 2, more.length);
        args[more.length + 2] = "--config";
        args[more.length + 3] = config.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new MainRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHeaderGivenOnTheCommandLineDecidesAHeaderRule() throws IOException {
        MainRun curl = explain("--header", "User-Agent: curl/8.5.0");
        assertEquals(0, curl.exit(), curl.err());
        assertTrue(curl.out().contains("decision:   block by rule no-curl"), curl.out());
        assertTrue(curl.out().contains("response rules: decided when the response arrives: it-may, no-exe"), curl.out());

        MainRun browser = explain("--header", "User-Agent: Mozilla/5.0");
        assertTrue(browser.out().contains("decision:   allow by rule default"), browser.out());
    }

    @Test
    void aHeaderWithoutAColonIsAUsageError() throws IOException {
        MainRun bad = explain("--header", "User-Agent curl");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("\"Name: value\""), bad.err());
    }
}
