package dev.gatehouse.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyLoadException;
import dev.gatehouse.policy.PolicyProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden tests: each {@code bad/NAME.json} must fail with exactly the problems listed in
 * {@code bad/NAME.expected} (file paths shown as the file name only). Regenerate a golden file
 * with {@code -Dgatehouse.golden.update=true} and review the diff.
 */
class PolicyLoaderTest {

    static Path repo() {
        String repo = System.getProperty("gatehouse.repo");
        return Path.of(repo == null ? "." : repo).toAbsolutePath().normalize();
    }

    static Path resource(String name) {
        return repo().resolve("src/test/resources/policy").resolve(name);
    }

    static String render(List<PolicyProblem> problems, Path dir) {
        return problems.stream().map(PolicyProblem::toString)
                .map(s -> s.replace(dir.toString() + "/", ""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void assertGolden(Path expectedFile, String actual) throws IOException {
        if (Boolean.getBoolean("gatehouse.golden.update")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(expectedFile), actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-keys", "references", "syntax", "redirect", "header", "response-rules"})
    void badPoliciesFailWithEveryProblemLocated(String name) throws IOException {
        Path file = resource("bad/" + name + ".json");
        PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> PolicyLoader.load(file));
        assertGolden(resource("bad/" + name + ".expected"), render(e.problems(), file.getParent()));
    }

    @Test
    void warningsDoNotStopALoad() throws Exception {
        Path file = resource("good/warnings.json");
        Policy policy = PolicyLoader.load(file);
        assertGolden(resource("good/warnings.expected"), render(policy.warnings(), file.getParent()));
    }

    @Test
    void aRedirectOnTunnelsAndARedirectToItsOwnRuleAreWarnedAbout() throws Exception {
        Path file = resource("good/redirect.json");
        Policy policy = PolicyLoader.load(file);
        assertGolden(resource("good/redirect.expected"), render(policy.warnings(), file.getParent()));
    }

    @Test
    void responseRulesAndTheHeaderAndExtensionKeysLoad() throws Exception {
        Path file = resource("good/response-rules.json");
        Policy policy = PolicyLoader.load(file);
        assertEquals(5, policy.responseRules().size());
        assertGolden(resource("good/response-rules.expected"), render(policy.warnings(), file.getParent()));
    }

    @Test
    void theShippedDefaultPolicyLoadsCleanly() throws Exception {
        Policy policy = PolicyLoader.load(repo().resolve("policies/default.json"));
        assertEquals(List.of(), policy.warnings());
        assertEquals("default", policy.name());
        assertTrue(policy.categories().categoryId("gambling") >= 0);
    }

    @Test
    void theVersionChangesWithTheContent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"schemaVersion\": 1, \"defaultAction\": {\"action\": \"allow\"}, \"rules\": []}");
        String first = PolicyLoader.load(file).version();
        assertEquals(first, PolicyLoader.load(file).version());
        Files.writeString(file, "{\"schemaVersion\": 1, \"defaultAction\": {\"action\": \"block\"}, \"rules\": []}");
        assertNotEquals(first, PolicyLoader.load(file).version());
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        PolicyLoadException e = assertThrows(PolicyLoadException.class,
                () -> PolicyLoader.load(dir.resolve("absent.json")));
        assertTrue(e.problems().get(0).message().startsWith("cannot read policy file"));
    }
}
