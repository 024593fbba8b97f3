package org.heroesinwaiting.retention.backup;

import java.util.Locale;

/**
 * The kinds of backup the catalog holds: the logical weekly full backup and monthly archive
 * ({@link BackupService}, each in its own folder of the backup root), and the physical weekly full
 * and daily differential (pgBackRest, {@code physical.PhysicalBackupService}), which carry
 * point-in-time recovery.
 */
public enum BackupKind {
    /** The weekly full backup ({@code <root>/full}, kept 3 years by its schedule). */
    FULL,
    /** The monthly archive ({@code <root>/archive}, kept 6 years by its schedule). */
    ARCHIVE,
    /** The weekly physical full backup (pgBackRest), kept for the point-in-time window. */
    PHYSICAL_FULL,
    /** The daily backup (kept 90 days): a physical differential on the week's physical full. */
    DAILY;

    /** @return the name the catalog and the folder use ({@code full}, {@code archive}, {@code physical-full}, {@code daily}) */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return whether pgBackRest makes it (physical) rather than pg_dump (logical) */
    public boolean isPhysical() {
        return this == PHYSICAL_FULL || this == DAILY;
    }

    /**
     * @param name {@code full}, {@code archive}, {@code physical-full} or {@code daily}
     * @return the kind
     * @throws IllegalArgumentException for any other name, listing the kinds
     */
    public static BackupKind fromWire(String name) {
        for (BackupKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("a backup kind is full, archive, physical-full or daily, not " + name);
    }
}
