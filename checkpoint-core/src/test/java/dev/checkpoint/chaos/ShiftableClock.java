package dev.checkpoint.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that is off by an amount the chaos run changes while the worker runs. */
final class ShiftableClock extends Clock {

    private volatile Duration offset;

    ShiftableClock(Duration offset) {
        this.offset = offset;
    }

    void shiftTo(Duration offset) {
        this.offset = offset;
    }

    Duration offset() {
        return offset;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a UTC clock only");
    }
}
