package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViaTest {
    private final Via via = new Via("gatehouse");

    @Test
    void appendsThisProxysEntryAfterTheExistingOnes() {
        assertEquals("1.1 gatehouse", via.append(null));
        assertEquals("1.1 gatehouse", via.append("  "));
        assertEquals("1.0 squid (squid/5.7), 1.1 gatehouse", via.append("1.0 squid (squid/5.7)"));
    }

    /** RFC 9110 §7.6.3: received-protocol is the version of the message as this proxy received it. */
    @Test
    void entryNamesTheVersionTheMessageWasReceivedWith() {
        assertEquals("1.0 gatehouse", via.append(null, 0));
        assertEquals("1.1 gatehouse", via.append("", 1));
        assertEquals("1.1 squid, 1.0 gatehouse", via.append("1.1 squid", 0));
        assertEquals("1.0 squid, 1.1 gatehouse", via.append("1.0 squid", 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void ownEntryIsMadeOnceAndSeenAsALoopForEitherVersion(int minor) {
        assertSame(via.append(null, minor), via.append(null, minor), "no string is built when there is no Via to extend");
        assertTrue(via.seenIn(List.of(via.append(null, minor))));
        assertTrue(via.seenIn(List.of(via.append("1.1 a", minor))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1 gatehouse", "1.0 gatehouse", "1.0 a, 1.1 gatehouse", "1.1 a, 1.0 gatehouse", "HTTP/1.1 GateHouse (Gatehouse/0.1)", "1.1 b,1.1   gatehouse"})
    void seesItsOwnEntryAsALoop(String value) {
        assertTrue(via.seenIn(List.of(value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1 gatehouse-2", "1.1 other (gatehouse)", "gatehouse", "1.1 proxy.gatehouse", ""})
    void otherEntriesAreNoLoop(String value) {
        assertFalse(via.seenIn(List.of(value)));
    }

    @Test
    void looksAtEveryFieldLine() {
        assertTrue(via.seenIn(List.of("1.1 a", "1.1 gatehouse")));
    }
}
