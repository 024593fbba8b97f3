package org.heroesinwaiting.retention;

/**
 * What follows a run that moved or deleted a large share of a table: {@code VACUUM (ANALYZE)} as the
 * table's owner, which only the owner may do and which cannot run inside a function.
 */
public enum Upkeep {
    /** The run changed too small a share of the table to matter. */
    NONE("none"),
    /** Vacuumed and analysed as the owner. */
    VACUUMED("vacuumed and analysed"),
    /** No owner login is configured ({@code HeroesSettings.withMaintenance}): autovacuum will do it. */
    LEFT_TO_AUTOVACUUM("left to autovacuum"),
    /** The owner's VACUUM failed (the log says why); autovacuum will do it. */
    FAILED("vacuum failed, left to autovacuum");

    private final String wire;

    Upkeep(String wire) {
        this.wire = wire;
    }

    /** @return how it is written in JSON and on the command line */
    public String wire() {
        return wire;
    }
}
