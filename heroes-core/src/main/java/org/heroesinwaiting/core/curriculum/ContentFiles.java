package org.heroesinwaiting.core.curriculum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a manifest's files against a content directory: each exists inside it, and has the size
 * and SHA-256 the manifest says.
 *
 * <pre>{@code
 * List<ManifestProblem> problems = ContentFiles.check(manifest, Path.of("/srv/heroes/content"));
 * }</pre>
 */
public final class ContentFiles {

    private ContentFiles() {
    }

    /**
     * @param manifest a read manifest (also one read with problems: its broken items are skipped)
     * @param contentDir where its files are
     * @return every problem, with the JSONPath of the item concerned; empty when all match
     */
    public static List<ManifestProblem> check(CurriculumManifest manifest, Path contentDir) {
        Path root = contentDir.toAbsolutePath().normalize();
        List<ManifestProblem> problems = new ArrayList<>();
        List<CurriculumManifest.Lesson> lessons = manifest.lessons();
        for (int l = 0; l < lessons.size(); l++) {
            List<CurriculumManifest.Content> items = lessons.get(l).content();
            for (int i = 0; i < items.size(); i++) {
                CurriculumManifest.Content item = items.get(i);
                if (item.file() == null) {
                    continue;
                }
                String path = "$.lessons[" + l + "].content[" + i + "]";
                Path file;
                try {
                    file = root.resolve(item.file()).normalize();
                } catch (java.nio.file.InvalidPathException e) {
                    problems.add(new ManifestProblem(path + ".file", "is not a path this system can open"));
                    continue;
                }
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    problems.add(new ManifestProblem(path + ".file", "no file " + item.file() + " in " + root));
                    continue;
                }
                try {
                    long size = Files.size(file);
                    if (item.sizeBytes() != null && size != item.sizeBytes()) {
                        problems.add(new ManifestProblem(path + ".size_bytes", "the file has " + size + " bytes, not " + item.sizeBytes()));
                    }
                    String actual = sha256(file);
                    if (item.sha256() != null && !actual.equals(item.sha256())) {
                        problems.add(new ManifestProblem(path + ".sha256", "the file's SHA-256 is " + actual));
                    }
                } catch (IOException e) {
                    problems.add(new ManifestProblem(path + ".file", "cannot read " + file + ": " + e.getMessage()));
                }
            }
        }
        return problems;
    }

    /**
     * @param bytes some bytes
     * @return their SHA-256, lower-case hex (a manifest's identity, a media file's address, an ETag's source)
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param file a file
     * @return its SHA-256, lower-case hex
     * @throws IOException when it cannot be read
     */
    public static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
