package org.heroesinwaiting.core.curriculum;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The curriculum as imported, whole: what the lesson and offline-manifest endpoints serve, cached
 * per {@link #revision()}.
 *
 * @param revision grows with every import that changed something (0: nothing imported yet)
 * @param curriculumVersion the manifest's version label, or {@code null} before the first import
 * @param lessons the lessons in order
 */
public record CurriculumSnapshot(long revision, String curriculumVersion, List<Lesson> lessons) {

    /** Copies. */
    public CurriculumSnapshot {
        lessons = List.copyOf(lessons);
    }

    /**
     * @param number a lesson number
     * @return that lesson, when the curriculum has it
     */
    public Optional<Lesson> lesson(int number) {
        return lessons.stream().filter(lesson -> lesson.number() == number).findFirst();
    }

    /**
     * @param id the lesson
     * @param number 1 to 12
     * @param title its title
     * @param description what it is about, or {@code null}
     * @param objectives what students take away
     * @param durationMinutes how long it runs
     * @param updatedAt its last change
     * @param content its live items (retired ones left out), in order
     * @param questions its feedback questions, in order
     */
    public record Lesson(UUID id, int number, String title, String description, List<String> objectives, int durationMinutes,
            Instant updatedAt, List<Content> content, List<Question> questions) {

        /** Copies. */
        public Lesson {
            objectives = List.copyOf(objectives);
            content = List.copyOf(content);
            questions = List.copyOf(questions);
        }
    }

    /**
     * @param id the item (stable across imports)
     * @param key its key in the manifest
     * @param contentType its type
     * @param title its title
     * @param order its place
     * @param file its path under the content directory, or {@code null}
     * @param streamingUrl where it streams from, or {@code null}
     * @param mimeType its media type, or {@code null}
     * @param sizeBytes its file's size, or {@code null}
     * @param sha256 its file's SHA-256 (and so its media address), or {@code null}
     * @param offline whether the app downloads it ahead
     * @param updatedAt its last change
     */
    public record Content(UUID id, String key, String contentType, String title, int order, String file, String streamingUrl,
            String mimeType, Long sizeBytes, String sha256, boolean offline, Instant updatedAt) {
    }

    /**
     * @param id its key ({@code felt-safe})
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
