package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogIntervalTest {
    @Test
    void theFirstOccurrenceIsLetThroughAndTheRestOfTheIntervalIsHeldBack() {
        LogInterval interval = new LogInterval(Duration.ofHours(1));
        assertEquals(1, interval.occurred());
        for (int i = 0; i < 5; i++) assertEquals(0, interval.occurred());
    }

    @Test
    void theNextLineCountsEverythingHeldBackSinceTheLastOne() throws InterruptedException {
        LogInterval interval = new LogInterval(Duration.ofMillis(200));
        assertEquals(1, interval.occurred());
        assertEquals(0, interval.occurred());
        assertEquals(0, interval.occurred());
        Thread.sleep(250);
        assertEquals(3, interval.occurred(), "two held back, and this one");
        assertEquals(0, interval.occurred());
    }
}
