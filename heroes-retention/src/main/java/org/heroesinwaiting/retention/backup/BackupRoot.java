package org.heroesinwaiting.retention.backup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The backup root and its folders: made readable by the running user only (0700), and refused
 * when anybody else may write to them (a backup others can replace is not a backup).
 */
final class BackupRoot {

    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private BackupRoot() {
    }

    /**
     * @param root the backup root
     * @param folder its folder for one kind ({@code full})
     * @return the folder, made when missing
     * @throws BackupRootException when either is not a folder, cannot be made, or others may write to it
     */
    static Path folder(Path root, String folder) {
        Path absolute = root.toAbsolutePath().normalize();
        ensure(absolute);
        Path inside = absolute.resolve(folder);
        ensure(inside);
        return inside;
    }

    private static void ensure(Path folder) {
        try {
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectories(folder);
                    Files.setPosixFilePermissions(folder, FOLDER); // not left to the umask
                } catch (FileAlreadyExistsException e) {
                    // made at the same moment by another backup: checked below like any folder
                }
            }
            if (!Files.isDirectory(folder)) {
                throw new BackupRootException("the backup folder " + folder + " is not a folder (set HEROES_BACKUP_DIR to a folder)");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new BackupRootException("the backup folder " + folder + " can be written by others ("
                        + PosixFilePermissions.toString(permissions) + "): a backup there could be replaced; make it the running user's alone"
                        + " (chmod 700 " + folder + ")");
            }
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions: nothing to check
        } catch (IOException e) {
            throw new BackupRootException("the backup folder " + folder + " cannot be made or read: " + e);
        }
    }
}
