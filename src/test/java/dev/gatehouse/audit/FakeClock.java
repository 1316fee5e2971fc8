package dev.gatehouse.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand, read safely by the writer thread. */
final class FakeClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    FakeClock(Instant start, ZoneId zone) {
        this.now = new AtomicReference<>(start);
        this.zone = zone;
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new FakeClock(now.get(), other);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
