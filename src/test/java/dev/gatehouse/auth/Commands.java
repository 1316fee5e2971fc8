package dev.gatehouse.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the auth tests use (htpasswd, openssl, slapadd) with a bounded wait. */
public final class Commands {
    private Commands() {}

    /** Runs a command and returns its standard output; fails with its output when it fails or hangs. */
    public static String run(String... command) throws IOException, InterruptedException {
        Path executable = Path.of(command[0]);
        if (!executable.isAbsolute() && which(command[0]) == null) {
            throw new AssertionError(command[0] + " is missing: run scripts/install-test-deps");
        }
        // Standard error apart (htpasswd -p warns there), kept for the failure message.
        Path errors = Files.createTempFile("command", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes(); // ends when the process exits (or closes its output)
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ": " + text
                        + Files.readString(errors));
            }
            return text;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static Path which(String name) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    /** An htpasswd line ({@code user:hash}) made by Debian's htpasswd with a scheme flag such as -B, -m, -2, -5. */
    public static String htpasswd(String flag, String user, String password) throws IOException, InterruptedException {
        return List.of(run("htpasswd", "-nb" + flag.substring(1), user, password).split("\n")).getFirst().strip();
    }
}
