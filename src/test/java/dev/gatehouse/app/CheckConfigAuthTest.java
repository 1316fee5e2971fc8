package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse check-config} and {@code gatehouse run} load the authentication files as the proxy
 * would: a hash scheme Gatehouse refuses is reported with file and line, and stops the start.
 */
class CheckConfigAuthTest {
    // bcrypt of "secret" at cost 5, as htpasswd -B -C 5 writes it.
    private static final String ALICE = "alice:$2y$05$tM8/ATh3UqATtGN/RkpdSeVYTRjB6F0cD2xSScxEhBTx7ihJrBwXS";
    @TempDir
    Path dir;

    private MainRun run(String command, String htpasswdText) throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), htpasswdText);
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s",
                 "policy": {"file": "", "watch": false},
                 "auth": {"backend": "htpasswd", "htpasswdFile": "%s", "watch": false}}
                """.formatted(dir.resolve("var"), htpasswd));
        return MainRun.of(command, config);
    }

    @Test
    void aGoodHtpasswdFilePasses() throws Exception {
        MainRun r = run("check-config", "# users\n" + ALICE + "\n");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("auth: OK (htpasswd " + dir.resolve("htpasswd")), r.out());
    }

    @Test
    void anUnsaltedShaLineIsReportedWithFileAndLine() throws Exception {
        MainRun r = run("check-config", ALICE + "\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains(dir.resolve("htpasswd") + ":2"), r.err());
        assertTrue(r.err().contains("{SHA}"), r.err());
    }

    @Test
    void theSameFileStopsTheStart() throws Exception {
        MainRun r = run("run", "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().startsWith("gatehouse: proxy authentication cannot start: " + dir.resolve("htpasswd") + ":1"), r.err());
    }

    @Test
    void aMissingKeytabIsReportedByCheckConfigAndStopsTheStart() throws Exception {
        Path keytab = dir.resolve("proxy.keytab");
        Path config = Files.writeString(dir.resolve("gatehouse.json"), """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s",
                 "policy": {"file": "", "watch": false},
                 "auth": {"negotiate": {"keytab": "%s", "principal": "HTTP/proxy.corp.example@CORP.EXAMPLE"}, "watch": false}}
                """.formatted(dir.resolve("var"), keytab));
        MainRun check = MainRun.of("check-config", config);
        assertEquals(3, check.exit(), check.out());
        assertTrue(check.err().contains("gatehouse: proxy authentication: " + keytab + ": keytab not found"), check.err());
        MainRun run = MainRun.of("run", config);
        assertEquals(3, run.exit(), run.out());
        assertTrue(run.err().startsWith("gatehouse: proxy authentication cannot start: " + keytab + ": keytab not found"), run.err());
    }
}
