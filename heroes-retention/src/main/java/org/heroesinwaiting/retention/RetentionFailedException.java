package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.RetryLater;

/**
 * A batch of a retention run failed. Every batch before it is committed and whole; the run is
 * recorded as failed, and the next run goes on from where this one stopped.
 */
public final class RetentionFailedException extends HeroesException implements RetryLater {

    private static final long serialVersionUID = 1L;

    private final transient RetentionResult result;

    /**
     * @param result what the run did before it failed
     * @param cause the failure
     */
    public RetentionFailedException(RetentionResult result, Throwable cause) {
        super("retention run " + result.runId().orElse(0) + " failed: " + RetentionService.describe(cause), cause);
        this.result = requireNonNull(result, "result");
    }

    /** @return what the run did before it failed */
    public RetentionResult result() {
        return result;
    }

    /** @return a few minutes: a failure is most often a long transaction holding audit_log */
    @Override
    public Duration retryAfter() {
        return Duration.ofMinutes(5);
    }
}
