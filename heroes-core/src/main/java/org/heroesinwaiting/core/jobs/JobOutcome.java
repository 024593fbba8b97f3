package org.heroesinwaiting.core.jobs;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run of a {@link Job} did: a line an operator reads in {@code ./heroes jobs list}, and the
 * counts behind it for whatever reads them (the run's record, metrics, a test), never personal data.
 *
 * <pre>{@code
 * JobOutcome outcome = JobOutcome.of("expired 12 student sessions").withCount("student_sessions", 12);
 * long expired = outcome.count("student_sessions");
 * }</pre>
 *
 * @param detail for example {@code "expired 12 student sessions, 3 facilitator sessions"}
 * @param counts what it did, by what it did it to ({@code student_sessions -> 12}), in the order it did it
 */
public record JobOutcome(String detail, Map<String, Long> counts) {

    /** Validates and copies, keeping the order. */
    public JobOutcome {
        requireNonNull(detail, "detail");
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(counts, "counts")));
    }

    /**
     * @param detail the operator's line
     * @return an outcome without counts
     */
    public static JobOutcome of(String detail) {
        return new JobOutcome(detail, Map.of());
    }

    /**
     * @param what what was counted ({@code student_sessions})
     * @param count how many
     * @return a copy with that count added (replacing one of the same name)
     */
    public JobOutcome withCount(String what, long count) {
        Map<String, Long> more = new LinkedHashMap<>(counts);
        more.put(requireNonNull(what, "what"), count);
        return new JobOutcome(detail, more);
    }

    /**
     * @param what what was counted
     * @return its count, 0 when the run counted nothing of it
     */
    public long count(String what) {
        return counts.getOrDefault(what, 0L);
    }
}
