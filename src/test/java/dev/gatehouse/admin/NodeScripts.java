package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node scripts of {@code src/test/js} (Playwright driving Chromium, pac-resolver) and returns the
 * JSON they print. A missing tool fails the test with what to install, never skips it: CI must not pass
 * without having run the browser.
 */
final class NodeScripts {
    static final Path DIR = Path.of(System.getProperty("gatehouse.repo", "."), "src", "test", "js");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GATEHOUSE_CHROMIUM", "/usr/bin/chromium"));
    private static final String INSTALL = "run scripts/install-test-deps (installs Debian's chromium and nodejs, then 'npm ci' in src/test/js)";

    private NodeScripts() {}

    /** Fails clearly when node, the npm packages or (if {@code browser}) Chromium are missing. */
    static void requireTools(boolean browser) {
        if (!Files.isDirectory(DIR.resolve("node_modules/pac-resolver")) || !Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
            throw new AssertionError("the npm packages of " + DIR + " are not installed: " + INSTALL);
        }
        if (browser && !Files.isExecutable(CHROMIUM)) throw new AssertionError(CHROMIUM + " is missing: " + INSTALL);
    }

    static JsonNode run(String script, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Path err = Files.createTempFile("gatehouse-node", ".err");
        Path outFile = Files.createTempFile("gatehouse-node", ".out");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(DIR.toFile()).redirectError(err.toFile())
                    .redirectOutput(outFile.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node: " + INSTALL, e);
        }
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        String out = Files.readString(outFile, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(err);
        Files.deleteIfExists(outFile);
        if (!done || p.exitValue() != 0) {
            throw new AssertionError("node " + script + " " + (done ? "exited " + p.exitValue() : "timed out") + ":\n" + stderr + out);
        }
        return new ObjectMapper().readTree(out);
    }
}
