package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return run(script, args, Map.of(), timeoutSeconds);
    }

    /** As {@link #run(String, List, int)}, with {@code environment} added to the script's (and so Chromium's). */
    static JsonNode run(String script, List<String> args, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Path err = Files.createTempFile("gatehouse-node", ".err");
        Path outFile = Files.createTempFile("gatehouse-node", ".out");
        Process p;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectError(err.toFile())
                    .redirectOutput(outFile.toFile());
            builder.environment().putAll(environment);
            p = builder.start();
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

    /** The parameters of every event of {@code type} in a Chromium net log (types are numbered in its constants). */
    static List<JsonNode> netLogParams(Path netlog, String type) throws IOException {
        JsonNode log = new ObjectMapper().readTree(netlog.toFile());
        JsonNode id = log.at("/constants/logEventTypes/" + type);
        if (!id.isInt()) throw new AssertionError("the net log names no event type " + type);
        List<JsonNode> params = new ArrayList<>();
        for (JsonNode event : log.get("events")) if (event.get("type").asInt() == id.asInt()) params.add(event.path("params"));
        return params;
    }
}
