package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config} and {@code run} read the parent proxy's password file as the proxy would, never printing the password. */
class CheckConfigParentTest {
    @TempDir
    Path dir;

    private MainRun run(String command, Path passwordFile) throws Exception {
        return MainRun.withConfig(command, dir, """
                "forwarding": {"parent": {"proxies": ["hq-proxy.corp.example:3128"], "user": "branch", "passwordFile": "%s"}}"""
                .formatted(passwordFile));
    }

    @Test
    void aReadablePasswordFilePassesWithoutShowingThePassword() throws Exception {
        MainRun r = run("check-config", Files.writeString(dir.resolve("parent.password"), "hq-s3cret\n"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("forwarding.parent: OK (hq-proxy.corp.example:3128, user branch from "), r.out());
        assertFalse((r.out() + r.err()).contains("hq-s3cret"));
    }

    @Test
    void aMissingPasswordFileIsReportedAndStopsTheStart() throws Exception {
        Path missing = dir.resolve("nope.password");
        MainRun check = run("check-config", missing);
        assertEquals(3, check.exit(), check.out());
        assertTrue(check.err().contains(missing + ": cannot read forwarding.parent.passwordFile"), check.err());
        MainRun start = run("run", missing);
        assertEquals(1, start.exit(), start.out());
        assertTrue(start.err().startsWith("gatehouse: cannot start: " + missing + ": cannot read forwarding.parent.passwordFile"), start.err());
    }

    @Test
    void anEmptyPasswordFileIsAnError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.password"), "\n");
        MainRun r = run("check-config", empty);
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.err().contains(empty + ":1: forwarding.parent.passwordFile is empty"), r.err());
    }
}
