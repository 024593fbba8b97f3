package org.heroesinwaiting.core.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files on disk. */
public final class Folders {

    private Folders() {
    }

    /**
     * Deletes a folder with everything in it, deepest first; nothing when it does not exist.
     *
     * @param folder the folder (or a file)
     * @throws IOException when a file cannot be deleted (what is left stays)
     */
    public static void delete(Path folder) throws IOException {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
