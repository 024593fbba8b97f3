package org.heroesinwaiting.retention.backup;

/** How a backup is written: the two logical formats, and pgBackRest's repository for a physical backup. */
public enum BackupFormat {
    /** {@code pg_dump --format=custom}: compressed, and pg_restore can take some tables and leave others. */
    CUSTOM("custom", ".dump"),
    /** The guide's {@code pg_dump | gzip}: SQL text, for those who want to read or grep it. */
    PLAIN_GZIP("plain-gzip", ".sql.gz"),
    /** A physical backup in pgBackRest's repository: no file of its own in the backup root. */
    PGBACKREST("pgbackrest", "");

    private final String wireName;
    private final String suffix;

    BackupFormat(String wireName, String suffix) {
        this.wireName = wireName;
        this.suffix = suffix;
    }

    /** @return the name the catalog uses ({@code custom}, {@code plain-gzip}, {@code pgbackrest}) */
    public String wireName() {
        return wireName;
    }

    /** @return the file name's ending ({@code .dump}, {@code .sql.gz}) */
    public String suffix() {
        return suffix;
    }

    /**
     * @param name {@code custom}, {@code plain-gzip} or {@code pgbackrest}
     * @return the format
     * @throws IllegalArgumentException for any other name, listing the formats
     */
    public static BackupFormat fromWire(String name) {
        for (BackupFormat format : values()) {
            if (format.wireName().equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("a backup format is custom, plain-gzip or pgbackrest, not " + name);
    }
}
