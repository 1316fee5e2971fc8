package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuickAbortTest {
    @ParameterizedTest(name = "min={0} max={1} pct={2}: {3} of {4} -> {5}")
    @CsvSource({
            // Squid's defaults (16 KB, 16 KB, 95 %): only a nearly finished body is read on.
            "16384, 16384, 95, 0,        10000,    true",   // less than min remains
            "16384, 16384, 95, 983616,   1000000,  true",   // exactly min (and max) remains: 98 % decides
            "16384, 16384, 95, 3616,     20000,    false",  // exactly min remains, but only 18 % arrived
            "16384, 16384, 95, 990000,   1000000,  true",
            "16384, 16384, 95, 500000,   1000000,  false",  // more than max remains
            // A wider max lets the percentage decide.
            "16384, 16777216, 95, 94000000,  100000000, false", // 94 %
            "16384, 16777216, 95, 95000000,  100000000, true",  // 95 %
            "16384, 16777216, 95, 99000000,  100000000, true",
            "16384, 16777216, 95, 950000000, 1000000000, false", // 95 %, but 50 MB left: over max
            // Unknown length: only a negative min finishes it.
            "16384, 16777216, 95, 5000,     -1,       false",
            "-1,    0,        95, 5000,     -1,       true",
            "-1,    0,        95, 1,        1000000000, true",
            // More than announced already arrived: the body is broken, never worth finishing.
            "16384, 16384,    95, 1001,     1000,     false",
            // Squid's "off" (0 KB, 0 KB): nothing left unfinished is read on.
            "0,     0,        95,  999,     1000,     false",
            // Sizes near the limits of a long do not overflow.
            "16384, 9223372036854775807, 95, 9000000000000000000, 9223372036854775807, true",
            "16384, 9223372036854775807, 95, 4000000000000000000, 9223372036854775807, false",
    })
    void decides(long min, long max, int percent, long received, long expected, boolean finish) {
        assertEquals(finish, new QuickAbort(min, max, percent).finish(received, expected));
    }

    @ParameterizedTest
    @CsvSource({"0, -1, 95", "0, 0, -1", "0, 0, 101"})
    void rejectsNonsense(long min, long max, int percent) {
        assertThrows(IllegalArgumentException.class, () -> new QuickAbort(min, max, percent));
    }
}
