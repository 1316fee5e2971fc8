package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code curl} (installed by {@code scripts/install-test-deps}; a missing curl fails the
 * test rather than skipping it, so CI cannot pass without having run it).
 */
final class Curl {
    record Result(int exit, String out, String err) {}

    private Curl() {}

    /** Runs curl with {@code args} after {@code -sS --max-time 20 --noproxy ''}; output files go to {@code tmp}. */
    static Result run(Path tmp, List<String> args) throws Exception {
        return run(tmp, args, Map.of());
    }

    /** As {@link #run(Path, List)}, with {@code environment} added to curl's (e.g. {@code KRB5CCNAME}). */
    static Result run(Path tmp, List<String> args, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(find(), "-sS", "--max-time", "20", "--noproxy", ""));
        command.addAll(args);
        Path out = Files.createTempFile(tmp, "curl", ".out");
        Path err = Files.createTempFile(tmp, "curl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("curl did not finish: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "curl");
            if (f.canExecute()) return f.getPath();
        }
        return fail("curl is not installed (not on PATH): run scripts/install-test-deps");
    }
}
