package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What README and etc/ tell an administrator to run must be valid: the container config and the systemd unit. */
class OperationsDocsTest {
    private static final Path REPO = Path.of(System.getProperty("gatehouse.repo", "."));

    @Test
    void readmeContainerConfigIsValidAndLogsToStdout() throws Exception {
        String readme = Files.readString(REPO.resolve("README.md"));
        int section = readme.indexOf("## Running in a container");
        assertTrue(section > 0, "README has no container section");
        int start = readme.indexOf("```json\n", section) + "```json\n".length();
        String json = readme.substring(start, readme.indexOf("```", start));
        GatehouseConfig config = new ConfigLoader().load("README container example", json, Map.of());
        assertTrue(config.audit().stdout());
        assertEquals("0.0.0.0", config.adminAddress().host());
    }

    @Test
    void systemdUnitRunsWithTheLaunchersJvmFlags() throws Exception {
        String flags = Files.readString(REPO.resolve("scripts/lib/jdk.sh")).lines()
                .filter(l -> l.startsWith("GATEHOUSE_JVM_FLAGS=\""))
                .map(l -> l.substring("GATEHOUSE_JVM_FLAGS=\"".length(), l.length() - 1))
                .findFirst().orElseThrow(() -> new AssertionError("scripts/lib/jdk.sh defines no GATEHOUSE_JVM_FLAGS"));
        String unit = Files.readString(REPO.resolve("etc/gatehouse.service"));
        assertTrue(unit.lines().anyMatch(l -> l.equals("Environment=\"JAVA_OPTS=" + flags + "\"")),
                "etc/gatehouse.service should run with scripts/gatehouse's flags: " + flags);
    }

    @Test
    void systemdUnitRunsUnprivilegedReloadsOnHangupAndIsHardened() throws Exception {
        String unit = Files.readString(REPO.resolve("etc/gatehouse.service"));
        for (String line : new String[] {"User=gatehouse", "ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "CapabilityBoundingSet=", "StateDirectory=gatehouse", "KillSignal=SIGTERM"}) {
            assertTrue(unit.lines().anyMatch(l -> l.equals(line)), "etc/gatehouse.service lacks " + line);
        }
    }
}
