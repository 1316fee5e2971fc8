package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WarnAllowancesTest {
    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    static final InetAddress ALICE = PolicyFixtures.address("10.0.0.5");
    static final InetAddress BOB = PolicyFixtures.address("10.0.0.6");

    final WarnAllowances allowances = new WarnAllowances(new byte[32], Duration.ofMinutes(30));

    @Test
    void aContinueWorksOnceAndTheAllowanceExpires() {
        String token = allowances.issue(ALICE, "casino.example", NOW.plusSeconds(300));
        assertFalse(allowances.allows(ALICE, "casino.example", NOW));

        assertEquals(Optional.of("casino.example"), allowances.redeem(token, ALICE, NOW.plusSeconds(10)));
        assertTrue(allowances.allows(ALICE, "casino.example", NOW.plusSeconds(20)));
        assertFalse(allowances.allows(ALICE, "other.example", NOW.plusSeconds(20)));
        assertFalse(allowances.allows(BOB, "casino.example", NOW.plusSeconds(20)));

        assertEquals(Optional.empty(), allowances.redeem(token, ALICE, NOW.plusSeconds(30)), "single use");
        assertTrue(allowances.allows(ALICE, "casino.example", NOW.plusSeconds(10 + 30 * 60 - 1)));
        assertFalse(allowances.allows(ALICE, "casino.example", NOW.plusSeconds(10 + 30 * 60)));
    }

    @Test
    void refusesExpiredForeignAndTamperedTokens() {
        String token = allowances.issue(ALICE, "casino.example", NOW.plusSeconds(300));
        assertEquals(Optional.empty(), allowances.redeem(token, ALICE, NOW.plusSeconds(300)), "expired link");
        assertEquals(Optional.empty(), allowances.redeem(token, BOB, NOW), "another client");
        String forged = token.substring(0, token.indexOf('.') - 2) + "AA" + token.substring(token.indexOf('.'));
        assertEquals(Optional.empty(), allowances.redeem(forged, ALICE, NOW), "tampered payload");
        assertEquals(Optional.empty(), allowances.redeem("garbage", ALICE, NOW));
        assertEquals(Optional.empty(), allowances.redeem("!!.??", ALICE, NOW));
        WarnAllowances otherKey = new WarnAllowances(new byte[] {1}, Duration.ofMinutes(30));
        assertEquals(Optional.empty(), otherKey.redeem(token, ALICE, NOW), "another key (a restart)");
    }

    @Test
    void anIpv4MappedClientIsTheSameClient() throws Exception {
        String token = allowances.issue(ALICE, "casino.example", NOW.plusSeconds(300));
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff,
            (byte) 0xff, 10, 0, 0, 5});
        assertEquals(Optional.of("casino.example"), allowances.redeem(token, mapped, NOW));
    }
}
