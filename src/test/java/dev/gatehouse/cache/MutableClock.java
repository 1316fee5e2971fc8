package dev.gatehouse.cache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand (public for the end-to-end tests, which hand it to a running Gatehouse). */
public final class MutableClock extends Clock {
    /** Volatile: a running proxy's threads read what the test thread set. */
    private volatile long millis;

    public MutableClock(long millis) {
        this.millis = millis;
    }

    public void advanceSeconds(long seconds) {
        millis += seconds * 1000;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
