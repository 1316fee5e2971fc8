package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Table tests of the conditions whose logic stands alone: networks and schedules. */
class ConditionTest {

    @ParameterizedTest(name = "{1} in {0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8          | 10.255.1.2            | true
            10.0.0.0/8          | 11.0.0.1              | false
            10.0.0.0/8          | ::ffff:10.1.2.3       | true
            192.168.1.128/25    | 192.168.1.200         | true
            192.168.1.128/25    | 192.168.1.127         | false
            192.168.1.7         | 192.168.1.7           | true
            192.168.1.7         | 192.168.1.8           | false
            0.0.0.0/0           | 8.8.8.8               | true
            0.0.0.0/0           | 2001:db8::1           | false
            fd00:20::/48        | fd00:20:0:5::1        | true
            fd00:20::/48        | fd00:21::1            | false
            2001:db8::/32       | 2001:0db8:ffff::1     | true
            ::/0                | ::1                   | true
            """)
    void cidrsContainAddresses(String cidr, String address, boolean expected) {
        assertEquals(expected, Cidr.parse(cidr).contains(PolicyFixtures.address(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/x", "example.com/8", "fd00::/129", "", "10.0.0.0/"})
    void badCidrsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    private static final Schedule OFFICE = new Schedule("office", ZoneId.of("Europe/Paris"), List.of(
            new Schedule.Window(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 8 * 60, 18 * 60),
            new Schedule.Window(Set.of(DayOfWeek.FRIDAY), 22 * 60, 6 * 60),
            new Schedule.Window(Set.of(DayOfWeek.SUNDAY), 0, 24 * 60)));

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-23T06:59:00Z | false
            2026-11-23T07:00:00Z | true
            2026-11-23T16:59:00Z | true
            2026-11-23T17:00:00Z | false
            2026-11-24T09:00:00Z | false
            2026-11-27T21:30:00Z | true
            2026-11-28T04:59:00Z | true
            2026-11-28T05:00:00Z | false
            2026-11-29T12:00:00Z | true
            2026-11-29T22:59:00Z | true
            2026-11-29T23:00:00Z | false
            2026-07-06T06:00:00Z | true
            2026-07-06T05:59:00Z | false
            """)
    void schedulesFollowLocalTimeAcrossMidnightAndDst(String instant, boolean active) {
        // Paris is UTC+1 in November and UTC+2 in July: 08:00 local is 07:00Z, then 06:00Z.
        assertEquals(active, OFFICE.isActive(Instant.parse(instant)));
    }
}
