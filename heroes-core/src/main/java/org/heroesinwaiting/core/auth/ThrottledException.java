package org.heroesinwaiting.core.auth;

import java.time.Duration;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.RetryLater;

/**
 * Too many failed attempts for this email or from this address: try again after
 * {@link #retryAfter()} (HTTP 429). The message is the same whatever the reason, so it reveals
 * nothing about the account.
 */
public class ThrottledException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param retryAfter how long to wait
     */
    public ThrottledException(Duration retryAfter) {
        super("too many failed attempts; try again in " + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    /** @return how long to wait */
    public Duration retryAfter() {
        return retryAfter;
    }
}
