package org.heroesinwaiting.retention;

import java.time.Duration;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.RetryLater;

/** Another retention run holds the retention lock; a second run is refused at once, never queued. */
public final class RetentionInProgressException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the database's message (which backend and run)
     * @param cause the refusal
     */
    public RetentionInProgressException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofMinutes(1);
    }
}
