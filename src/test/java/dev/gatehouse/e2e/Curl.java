package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real curl, with output and errors captured in {@code dir}. curl is installed by
 * {@code scripts/install-test-deps}; without it a test fails rather than skips, so CI cannot pass
 * without having run it.
 */
final class Curl {
    private Curl() {}

    record Result(int exit, String out, String err) {}

    /** {@code curl -sS --max-time 20 --noproxy ''} (so only explicit proxy options apply) + {@code args}. */
    static Result run(Path dir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(find(), "-sS", "--max-time", "20", "--noproxy", ""));
        command.addAll(args);
        Path out = dir.resolve("curl.out");
        Path err = dir.resolve("curl.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("curl did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "curl");
            if (f.canExecute()) return f.getPath();
        }
        return fail("curl is not installed (not on PATH); the test needs it: run scripts/install-test-deps");
    }
}
