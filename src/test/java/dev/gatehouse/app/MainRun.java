package dev.gatehouse.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One run of the command line ({@link Main#run}) against a config file: its exit status and what it printed. */
record MainRun(int exit, String out, String err) {
    /**
     * Runs {@code command} with a config in {@code dir}: ephemeral listeners, data under {@code dir/var}, no policy,
     * and {@code members} (further top-level JSON members, e.g. {@code "pages": {...}}).
     */
    static MainRun withConfig(String command, Path dir, String members) throws IOException {
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s",
                 "policy": {"file": "", "watch": false},
                 %s}
                """.formatted(dir.resolve("var"), members));
        return of(command, config);
    }

    static MainRun of(String command, Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {command, "--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new MainRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
