package org.heroesinwaiting.core;

import java.time.Duration;

/**
 * Every attempt of a unit of work was aborted by a serialization failure or a deadlock with
 * concurrent work; nothing of it was kept. Trying again shortly usually succeeds.
 */
public final class DatabaseBusyException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    /**
     * @param attempts how many times it was tried
     * @param cause the last attempt's failure
     */
    public DatabaseBusyException(int attempts, Throwable cause) {
        super("gave up after " + attempts + " attempts, each aborted by a serialization failure or deadlock", cause);
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(1);
    }
}
