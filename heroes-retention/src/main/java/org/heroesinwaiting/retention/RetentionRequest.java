package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What a retention run is to do: every governed table or one, for real or as a dry run, as of the
 * database's {@code now()} or of a moment in the past (never ahead: the database refuses it).
 *
 * <pre>{@code
 * RetentionResult whatWouldMove = retention.run(RetentionRequest.all().asDryRun());
 * RetentionResult feedback = retention.run(RetentionRequest.table("student_feedback"));
 * }</pre>
 *
 * @param table one table ({@code student_feedback}), or empty for all
 * @param dryRun whether to only count what is due, changing nothing
 * @param asOf the moment that decides what is due; empty: the database's {@code now()}
 */
public record RetentionRequest(Optional<String> table, boolean dryRun, Optional<Instant> asOf) {

    /** Validates. */
    public RetentionRequest {
        requireNonNull(table, "table");
        requireNonNull(asOf, "asOf");
    }

    /** @return every governed table, now */
    public static RetentionRequest all() {
        return new RetentionRequest(Optional.empty(), false, Optional.empty());
    }

    /**
     * @param name a governed table ({@code student_sessions} takes its progress and feedback along)
     * @return that table alone, now
     */
    public static RetentionRequest table(String name) {
        return new RetentionRequest(Optional.of(requireNonNull(name, "name")), false, Optional.empty());
    }

    /** @return a copy that changes nothing and says what is due */
    public RetentionRequest asDryRun() {
        return new RetentionRequest(table, true, asOf);
    }

    /**
     * @param moment a moment no later than the database's now()
     * @return a copy as of it
     */
    public RetentionRequest asOf(Instant moment) {
        return new RetentionRequest(table, dryRun, Optional.of(requireNonNull(moment, "moment")));
    }
}
