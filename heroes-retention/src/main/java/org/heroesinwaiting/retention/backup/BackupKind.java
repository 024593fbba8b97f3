package org.heroesinwaiting.retention.backup;

import java.util.Locale;

/**
 * The kinds of backup the catalog holds: the logical weekly full backup and monthly archive, each
 * in its own folder of the backup root, and the daily one, which is physical (pgBackRest) and
 * comes with point-in-time recovery: {@link BackupService} does not make it.
 */
public enum BackupKind {
    /** The weekly full backup ({@code <root>/full}, kept 3 years by its schedule). */
    FULL,
    /** The monthly archive ({@code <root>/archive}, kept 6 years by its schedule). */
    ARCHIVE,
    /** The daily backup (kept 90 days): physical, not made by {@link BackupService}. */
    DAILY;

    /** @return the name the catalog and the folder use ({@code full}, {@code archive}) */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code full}, {@code archive} or {@code daily}
     * @return the kind
     * @throws IllegalArgumentException for any other name, listing the kinds
     */
    public static BackupKind fromWire(String name) {
        for (BackupKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("a backup kind is full, archive or daily, not " + name);
    }
}
