package org.heroesinwaiting.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a retention run did, table by table.
 *
 * @param runId its row in {@code retention_runs}; empty for a dry run, which records nothing
 * @param asOf the moment that decided what was due
 * @param dryRun whether it only counted
 * @param tables each table, in the order the run took them
 * @param took how long the whole run took
 */
public record RetentionResult(OptionalLong runId, Instant asOf, boolean dryRun, List<TableResult> tables, Duration took) {

    /** Validates. */
    public RetentionResult {
        requireNonNull(runId, "runId");
        requireNonNull(asOf, "asOf");
        tables = List.copyOf(tables);
        requireNonNull(took, "took");
    }

    /** @return rows archived across tables */
    public long archived() {
        return tables.stream().mapToLong(TableResult::archived).sum();
    }

    /** @return rows purged across tables */
    public long purged() {
        return tables.stream().mapToLong(TableResult::purged).sum();
    }

    /** @return rows still due across tables */
    public long stillEligible() {
        return tables.stream().mapToLong(TableResult::stillEligible).sum();
    }

    /** @return one line for a log or a job's history */
    public String summary() {
        StringBuilder line = new StringBuilder(dryRun ? "would archive " : "archived ").append(archived())
                .append(dryRun ? " and purge " : ", purged ").append(purged()).append(" rows");
        String changed = tables.stream().filter(t -> t.changed() > 0)
                .map(t -> t.table() + " " + t.archived() + "/" + t.purged() + (t.upkeep() == Upkeep.NONE ? "" : " (" + t.upkeep().wire() + ")"))
                .reduce((a, b) -> a + ", " + b).orElse("");
        if (!changed.isEmpty()) {
            line.append(" (").append(changed).append(')');
        }
        if (stillEligible() > 0) {
            line.append("; ").append(stillEligible()).append(" still due");
        }
        return line.toString();
    }
}
