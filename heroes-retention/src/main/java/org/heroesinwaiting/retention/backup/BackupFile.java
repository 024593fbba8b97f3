package org.heroesinwaiting.retention.backup;

import java.nio.file.Path;

/**
 * One file of a backup.
 *
 * @param path where it is
 * @param sizeBytes its size
 * @param sha256 the SHA-256 of its bytes, in lower-case hex
 */
public record BackupFile(Path path, long sizeBytes, String sha256) {
}
