package org.heroesinwaiting.retention.backup;

import java.util.Locale;

/** The logical backups: the weekly full backup and the monthly archive, each in its own folder of the backup root. */
public enum BackupKind {
    /** The weekly full backup ({@code <root>/full}, kept 3 years by its schedule). */
    FULL,
    /** The monthly archive ({@code <root>/archive}, kept 6 years by its schedule). */
    ARCHIVE;

    /** @return the name the catalog and the folder use ({@code full}, {@code archive}) */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name {@code full} or {@code archive}
     * @return the kind
     * @throws IllegalArgumentException for any other name, listing the kinds
     */
    public static BackupKind fromWire(String name) {
        for (BackupKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("a backup kind is full or archive, not " + name);
    }
}
