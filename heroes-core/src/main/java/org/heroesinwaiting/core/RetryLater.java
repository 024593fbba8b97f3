package org.heroesinwaiting.core;

import java.time.Duration;

/** A refusal that goes away on its own: the caller may try again after {@link #retryAfter()} (HTTP {@code Retry-After}). */
public interface RetryLater {

    /** @return how long to wait before trying again */
    Duration retryAfter();
}
