package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock a test moves by hand: hand it to a service, then {@link #advance} to run a day, a
 * token's lifetime or a retention period in no time. Safe to read from several threads.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-11-29T08:00:00Z"));
 * clock.advance(Duration.ofDays(1));
 * }</pre>
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** @param start the time it shows until moved */
    public MutableClock(Instant start) {
        now = requireNonNull(start, "start");
    }

    /** @param by how far to move it (negative moves it back) */
    public synchronized void advance(Duration by) {
        now = now.plus(by);
    }

    /** @param to the time it shows from now on */
    public void set(Instant to) {
        now = requireNonNull(to, "to");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
