package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.auth.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ViaPseudonymTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cache01                  | cache01",
            "proxy.branch.example.com | proxy.branch.example.com",
            "'  cache01\n'            | cache01",          // /proc/sys/kernel/hostname ends in a newline
            "My_Host-2                | My_Host-2",
            "my host!                 | my-host-",
            "bücherei                 | b-cherei",
            "a:b/c                    | a-b-c",
    })
    void aHostNameBecomesAPseudonymTheValidatorAccepts(String hostName, String pseudonym) {
        assertEquals(pseudonym, ViaPseudonym.fromHostName(hostName));
        assertTrue(ViaPseudonym.VALID.matcher(pseudonym).matches());
    }

    @Test
    void anOverlongNameIsCutTo64() {
        String label = "a".repeat(60);
        assertEquals(label + ".bbb", ViaPseudonym.fromHostName(label + ".bbbbbb.example.com"));
        assertEquals(64, ViaPseudonym.fromHostName("x".repeat(300)).length());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n", "...", "-_-", "???"})
    void noUsableNameFallsBackToGatehouse(String hostName) {
        assertEquals("gatehouse", ViaPseudonym.fromHostName(hostName));
    }

    /** {@code hostname(1)} prints {@code gethostname()}, the name Squid's {@code visible_hostname} defaults to. */
    @Test
    void thisHostsPseudonymIsItsHostName() throws Exception {
        assertEquals(ViaPseudonym.fromHostName(Commands.run("hostname")), ViaPseudonym.ofThisHost());
    }
}
