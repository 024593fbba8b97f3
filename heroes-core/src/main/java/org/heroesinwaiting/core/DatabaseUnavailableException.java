package org.heroesinwaiting.core;

import java.time.Duration;

/**
 * No connection to the database could be had in time (it is down, restarting, or every
 * connection of the pool is busy); nothing was done.
 */
public final class DatabaseUnavailableException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause why
     */
    public DatabaseUnavailableException(Throwable cause) {
        super("the database is unavailable: " + cause.getMessage(), cause);
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(5);
    }
}
