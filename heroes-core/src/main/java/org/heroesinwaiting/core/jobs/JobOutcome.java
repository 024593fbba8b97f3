package org.heroesinwaiting.core.jobs;

import static java.util.Objects.requireNonNull;

/**
 * What a run of a {@link Job} did, in a line an operator reads in {@code ./heroes jobs list}.
 *
 * @param detail for example {@code "expired 12 student sessions, 3 facilitator sessions"}; never personal data
 */
public record JobOutcome(String detail) {

    /** Validates. */
    public JobOutcome {
        requireNonNull(detail, "detail");
    }
}
