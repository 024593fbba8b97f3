package org.heroesinwaiting.core.curriculum;

import java.util.List;

/**
 * A validated curriculum manifest (format 1): the 12 lessons, their content and their feedback
 * questions. Read one with {@link ManifestReader#read}; its JSON Schema is
 * {@code curriculum/manifest.schema.json} in the repository.
 *
 * @param curriculumVersion the publisher's version label ({@code 2026.11})
 * @param lessons lessons 1 to 12, in the file's order (problems' paths count in it)
 * @param sha256 the SHA-256 of the manifest's bytes
 */
public record CurriculumManifest(String curriculumVersion, List<Lesson> lessons, String sha256) {

    /** The format this library reads. */
    public static final int FORMAT = 1;
    /** How many lessons a curriculum has. */
    public static final int LESSONS = 12;

    /** Copies. */
    public CurriculumManifest {
        lessons = List.copyOf(lessons);
    }

    /**
     * @param number 1 to 12
     * @param title its title
     * @param description what it is about, or {@code null}
     * @param objectives what students take away
     * @param durationMinutes how long it runs
     * @param content its items, in order
     * @param questions its feedback questions, in order
     */
    public record Lesson(int number, String title, String description, List<String> objectives, int durationMinutes,
            List<Content> content, List<Question> questions) {

        /** Copies. */
        public Lesson {
            objectives = List.copyOf(objectives);
            content = List.copyOf(content);
            questions = List.copyOf(questions);
        }
    }

    /**
     * @param key stable within its lesson: how an import recognises the item again
     * @param contentType {@code video}, {@code activity}, {@code handout}, {@code discussion_guide} or {@code assessment}
     * @param title its title
     * @param order its place in the lesson
     * @param file its path under the content directory, or {@code null}
     * @param streamingUrl where it streams from, or {@code null}
     * @param mimeType its media type, or {@code null}
     * @param sizeBytes the file's size, or {@code null} without a file
     * @param sha256 the file's SHA-256 (lower-case hex), or {@code null} without a file
     * @param offline whether the app downloads it for offline use (needs a file)
     */
    public record Content(String key, String contentType, String title, int order, String file, String streamingUrl, String mimeType,
            Long sizeBytes, String sha256, boolean offline) {
    }

    /**
     * @param id stable within its lesson ({@code felt-safe}); feedback answers name it
     * @param prompt what is asked
     * @param options the answers allowed
     */
    public record Question(String id, String prompt, List<String> options) {

        /** Copies. */
        public Question {
            options = List.copyOf(options);
        }
    }
}
