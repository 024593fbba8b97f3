package org.heroesinwaiting.core.curriculum;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/** Manifests for tests: 12 valid lessons, each item and lesson open to a change. */
final class TestManifests {

    static final String HANDOUT = "A handout.\n";
    static final String HANDOUT_SHA256 = ContentFiles.sha256(HANDOUT.getBytes(StandardCharsets.UTF_8));

    private TestManifests() {
    }

    static byte[] valid() {
        return manifest((number, lesson) -> lesson);
    }

    /** @param eachLesson given the lesson's number and its valid builder, what to put in its place */
    static byte[] manifest(BiFunction<Integer, JsonObjectBuilder, JsonObjectBuilder> eachLesson) {
        JsonArrayBuilder lessons = Json.createArrayBuilder();
        for (int number = 1; number <= 12; number++) {
            lessons.add(eachLesson.apply(number, lesson(number)));
        }
        return Json.createObjectBuilder().add("format", 1).add("curriculum_version", "test-1").add("lessons", lessons).build()
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    static JsonObjectBuilder lesson(int number) {
        return Json.createObjectBuilder().add("lesson_number", number).add("title", "Lesson " + number)
                .add("objectives", Json.createArrayBuilder().add("Learn"))
                .add("content", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("key", "video").add("content_type", "video").add("title", "Story").add("order", 0)
                                .add("streaming_url", "https://cdn.example/" + number + ".m3u8").add("mime_type", "application/vnd.apple.mpegurl")
                                .add("offline", false))
                        .add(handout("handout", "lesson-" + number + "/handout.txt")))
                .add("questions", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("id", "felt-safe").add("prompt", "Did you feel safe?")
                                .add("options", Json.createArrayBuilder().add("yes").add("no"))));
    }

    static JsonObjectBuilder handout(String key, String file) {
        return Json.createObjectBuilder().add("key", key).add("content_type", "handout").add("title", "Handout").add("order", 1)
                .add("file", file).add("mime_type", "text/plain").add("size_bytes", HANDOUT.length()).add("sha256", HANDOUT_SHA256);
    }
}
