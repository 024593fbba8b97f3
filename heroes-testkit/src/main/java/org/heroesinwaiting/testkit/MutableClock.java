package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A UTC clock a test moves by hand, for what Java decides with its {@link Clock}: an access token's
 * lifetime, how far ahead a client's timestamp may be, a cache's polling. Safe to read from several
 * threads.
 *
 * <p>Start it at the present ({@link #startingNow()}), never at a fixed date: the database judges
 * sessions, seats, throttles and retention with its own {@code now()}, so a service whose clock
 * is pinned to a day that has passed writes rows that are already expired the day after the test
 * was written. Moving this clock moves nothing the database decides: to make a session expired or
 * a row old, date the row back in the database (README, "Time").
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.startingNow();
 * AccessTokens tokens = new AccessTokens(keyring, "heroes-in-waiting", Duration.ofMinutes(15), clock);
 * String token = tokens.issue(facilitatorId, sessionId, "facilitator").token();
 * clock.advance(Duration.ofMinutes(16)); // the token has expired
 * }</pre>
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** @param start the time it shows until moved */
    public MutableClock(Instant start) {
        now = requireNonNull(start, "start");
    }

    /**
     * A clock that shows the present until moved, to the microsecond (what PostgreSQL keeps, so a
     * time written to the database and read back equals it).
     *
     * @return a clock at the system clock's present
     */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MICROS));
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
