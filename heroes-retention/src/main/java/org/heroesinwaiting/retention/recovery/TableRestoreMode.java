package org.heroesinwaiting.retention.recovery;

/** How a table restore treats the rows the live table has now. */
public enum TableRestoreMode {
    /** The table holds exactly the backup's rows after: rows it lacks are added, changed ones set back, newer ones deleted. */
    REPLACE("replace"),
    /** Only the backup's rows the table lacks (by primary key) are added; nothing else changes. */
    ADD_MISSING("add-missing");

    private final String wireName;

    TableRestoreMode(String wireName) {
        this.wireName = wireName;
    }

    /** @return {@code replace} or {@code add-missing} */
    public String wireName() {
        return wireName;
    }

    /**
     * @param name {@code replace} or {@code add-missing}
     * @return the mode
     * @throws IllegalArgumentException for any other name
     */
    public static TableRestoreMode fromWire(String name) {
        for (TableRestoreMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("a table restore's mode is replace or add-missing, not " + name);
    }
}
