package org.heroesinwaiting.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.heroesinwaiting.core.curriculum.ContentFiles;

/**
 * Curriculum manifests for tests: 12 valid lessons (a streamed video and a one-line handout file
 * each, one feedback question), any lesson open to a change, and the handout files to go with them.
 *
 * <pre>{@code
 * byte[] manifest = CurriculumFixtures.manifest((number, lesson) -> number == 3 ? lesson.add("title", "Changed") : lesson);
 * CurriculumFixtures.writeContent(contentDir);
 * }</pre>
 */
public final class CurriculumFixtures {

    /** Every handout's text. */
    public static final String HANDOUT = "A handout.\n";
    /** Its SHA-256. */
    public static final String HANDOUT_SHA256 = ContentFiles.sha256(HANDOUT.getBytes(StandardCharsets.UTF_8));

    private CurriculumFixtures() {
    }

    /** @return a valid manifest */
    public static byte[] manifest() {
        return manifest((number, lesson) -> lesson);
    }

    /**
     * @param eachLesson given a lesson's number and its valid builder, what to put in its place
     * @return the manifest's bytes
     */
    public static byte[] manifest(BiFunction<Integer, JsonObjectBuilder, JsonObjectBuilder> eachLesson) {
        JsonArrayBuilder lessons = Json.createArrayBuilder();
        for (int number = 1; number <= 12; number++) {
            lessons.add(eachLesson.apply(number, lesson(number)));
        }
        return Json.createObjectBuilder().add("format", 1).add("curriculum_version", "test-1").add("lessons", lessons).build()
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param number 1 to 12
     * @return lesson {@code number} as {@link #manifest()} has it
     */
    public static JsonObjectBuilder lesson(int number) {
        return Json.createObjectBuilder().add("lesson_number", number).add("title", "Lesson " + number)
                .add("objectives", Json.createArrayBuilder().add("Learn"))
                .add("content", Json.createArrayBuilder().add(video(number)).add(handout(number)))
                .add("questions", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("id", "felt-safe").add("prompt", "Did you feel safe?")
                                .add("options", Json.createArrayBuilder().add("yes").add("no"))));
    }

    /**
     * @param number the lesson
     * @return its streamed video item
     */
    public static JsonObjectBuilder video(int number) {
        return Json.createObjectBuilder().add("key", "video").add("content_type", "video").add("title", "Story").add("order", 0)
                .add("streaming_url", "https://cdn.example/" + number + ".m3u8").add("mime_type", "application/vnd.apple.mpegurl")
                .add("offline", false);
    }

    /**
     * @param number the lesson
     * @return its handout item, the file {@code lesson-<number>/handout.txt}
     */
    public static JsonObjectBuilder handout(int number) {
        return Json.createObjectBuilder().add("key", "handout").add("content_type", "handout").add("title", "Handout").add("order", 1)
                .add("file", "lesson-" + number + "/handout.txt").add("mime_type", "text/plain").add("size_bytes", HANDOUT.length())
                .add("sha256", HANDOUT_SHA256);
    }

    /**
     * @param contentDir where to write every lesson's handout
     */
    public static void writeContent(Path contentDir) {
        try {
            for (int number = 1; number <= 12; number++) {
                Path file = contentDir.resolve("lesson-" + number + "/handout.txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, HANDOUT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
