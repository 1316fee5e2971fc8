package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private final AtomicLong nanos = new AtomicLong();
    private final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(30), Duration.ofSeconds(2), nanos::get);

    @Test
    void slowsAClientDownAfterMaxFailuresOnly() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertEquals(Duration.ZERO, throttle.delayFor("10.0.0.1"));
        throttle.failed("10.0.0.1");
        assertEquals(Duration.ofSeconds(2), throttle.delayFor("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.delayFor("10.0.0.2"), "other clients are not affected");
    }

    @Test
    void theWindowRestartsAtEachFailureAndThenExpires() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("c");
            nanos.addAndGet(Duration.ofSeconds(20).toNanos()); // each failure within 30 s of the previous
        }
        assertEquals(Duration.ofSeconds(2), throttle.delayFor("c"));
        nanos.addAndGet(Duration.ofSeconds(11).toNanos()); // 31 s after the last failure
        assertEquals(Duration.ZERO, throttle.delayFor("c"));
    }

    @Test
    void aSuccessfulLoginClearsTheCount() {
        for (int i = 0; i < 5; i++) throttle.failed("c");
        throttle.succeeded("c");
        assertEquals(Duration.ZERO, throttle.delayFor("c"));
    }
}
