package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A backup to make.
 *
 * @param kind full or archive
 * @param format custom (the default) or the guide's plain SQL, gzipped
 * @param schedule the schedule making it ({@code weekly-full}), which sets how long it is kept; empty for a manual backup
 */
public record BackupRequest(BackupKind kind, BackupFormat format, Optional<String> schedule) {

    public BackupRequest {
        requireNonNull(kind, "kind");
        requireNonNull(format, "format");
        requireNonNull(schedule, "schedule");
    }

    /**
     * @param kind full or archive
     * @return a manual backup of that kind in custom format
     */
    public static BackupRequest manual(BackupKind kind) {
        return new BackupRequest(kind, BackupFormat.CUSTOM, Optional.empty());
    }

    /**
     * @param format the format
     * @return this request in that format
     */
    public BackupRequest withFormat(BackupFormat format) {
        return new BackupRequest(kind, format, schedule);
    }

    /**
     * @param name the schedule's name in {@code backup_schedules}
     * @return this request as made by that schedule
     */
    public BackupRequest bySchedule(String name) {
        return new BackupRequest(kind, format, Optional.of(name));
    }
}
