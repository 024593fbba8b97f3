package org.heroesinwaiting.sql;

import java.util.List;
import java.util.Optional;

/**
 * What {@link HeroesDatabase#migrate} did.
 *
 * @param database the database migrated
 * @param initialVersion the schema version before, or {@code null} for a fresh database
 * @param currentVersion the schema version after
 * @param applied the migrations applied now, in order ({@code "V001 base"})
 * @param adoptedFromPsql how many migrations applied by psql got their checksums recorded
 */
public record MigrationResult(
        String database, String initialVersion, String currentVersion, List<String> applied, int adoptedFromPsql) {

    /** Copies. */
    public MigrationResult {
        applied = List.copyOf(applied);
    }

    /**
     * @return the schema version before the migration, empty for a fresh database
     */
    public Optional<String> initial() {
        return Optional.ofNullable(initialVersion);
    }
}
