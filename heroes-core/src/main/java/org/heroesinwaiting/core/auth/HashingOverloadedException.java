package org.heroesinwaiting.core.auth;

import java.time.Duration;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.RetryLater;

/** The password-hashing queue is full: try again after {@link #retryAfter()} (HTTP 503). */
public class HashingOverloadedException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param retryAfter when a retry has a fair chance
     */
    public HashingOverloadedException(Duration retryAfter) {
        super("too many password checks at once; try again in " + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    /** @return when to try again */
    public Duration retryAfter() {
        return retryAfter;
    }
}
