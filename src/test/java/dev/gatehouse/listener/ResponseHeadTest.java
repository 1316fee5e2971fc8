package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.http.Via;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a memory-tier head keeps for its hits beyond the fields: the {@code Age} text of the current second. */
class ResponseHeadTest {
    private final ResponseHead head = ResponseHead.of(CacheHeaders.of("Cache-Control", "max-age=60"), List.of(), new Via("gatehouse"), 5);

    @Test
    void hitsWithinOneSecondShareTheAgeText() {
        String first = head.ageText(7);
        assertEquals("7", first);
        assertSame(first, head.ageText(7), "formatted once per second, not once per hit");
    }

    @Test
    void theAgeTextFollowsEveryChangeOfAgeEvenBackwards() {
        assertEquals("0", head.ageText(0));
        assertEquals("59", head.ageText(59));
        assertEquals("3", head.ageText(3)); // an older hit finishing late, or a 304 that reset the age
        assertEquals(Long.toString(Long.MAX_VALUE), head.ageText(Long.MAX_VALUE));
        assertEquals("3", head.ageText(3));
    }
}
