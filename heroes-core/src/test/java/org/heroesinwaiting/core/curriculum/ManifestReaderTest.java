package org.heroesinwaiting.core.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

    private static List<String> problems(byte[] manifest) {
        try {
            ManifestReader.read(manifest);
        } catch (InvalidCurriculumException e) {
            return e.problems().stream().map(ManifestProblem::toString).toList();
        }
        throw new AssertionError("the manifest was accepted");
    }

    @Test
    void aValidManifestReadsWithItsTwelveLessonsAndItsHash() {
        CurriculumManifest manifest = ManifestReader.read(TestManifests.valid());

        assertThat(manifest.lessons()).extracting(CurriculumManifest.Lesson::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(manifest.curriculumVersion()).isEqualTo("test-1");
        assertThat(manifest.sha256()).matches("[0-9a-f]{64}");
        CurriculumManifest.Content handout = manifest.lessons().get(0).content().get(1);
        assertThat(handout.file()).isEqualTo("lesson-1/handout.txt");
        assertThat(handout.offline()).isTrue();
        assertThat(manifest.lessons().get(0).content().get(0).offline()).isFalse();
        assertThat(manifest.lessons().get(0).durationMinutes()).isEqualTo(45);
    }

    @Test
    void lessonThirteenADuplicateAndAMissingLessonAreEachReportedWithTheirPath() {
        byte[] manifest = TestManifests.manifest((number, lesson) -> switch (number) {
            case 12 -> lesson.add("lesson_number", 13);
            case 11 -> lesson.add("lesson_number", 10);
            default -> lesson;
        });

        assertThat(problems(manifest)).containsExactlyInAnyOrder(
                "$.lessons[11].lesson_number: must be 1 to 12, not 13",
                "$.lessons[10].lesson_number: lesson 10 appears twice",
                "$.lessons: lesson 11 is missing: a curriculum has lessons 1 to 12",
                "$.lessons: lesson 12 is missing: a curriculum has lessons 1 to 12");
    }

    @Test
    void everyItemProblemIsReportedNotJustTheFirst() {
        byte[] manifest = TestManifests.manifest((number, lesson) -> number != 3 ? lesson
                : lesson.add("content", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("key", "Bad Key").add("content_type", "podcast").add("title", "x").add("order", -1)
                                .add("file", "../etc/passwd").add("mime_type", "text").add("size_bytes", -3).add("sha256", "ABC")
                                .add("ofline", true))
                        .add(Json.createObjectBuilder().add("key", "no-source").add("content_type", "activity").add("title", "y").add("order", 2))));

        assertThat(problems(manifest)).containsExactlyInAnyOrder(
                "$.lessons[2].content[0].ofline: is not a property of this format",
                "$.lessons[2].content[0].key: must be lower-case letters, digits, - and _ (a stable identifier)",
                "$.lessons[2].content[0].content_type: must be one of video, activity, handout, discussion_guide, assessment, not \"podcast\"",
                "$.lessons[2].content[0].order: must be 0 or more",
                "$.lessons[2].content[0].file: must be a relative path inside the content directory: segments of letters, digits, '.', '-' "
                        + "and '_' joined by '/', without ..",
                "$.lessons[2].content[0].mime_type: must be a media type like text/plain",
                "$.lessons[2].content[0].size_bytes: must be a whole number of bytes, 0 or more",
                "$.lessons[2].content[0].sha256: must be 64 lower-case hex digits",
                "$.lessons[2].content[1]: needs a file or a streaming_url");
    }

    @Test
    void questionsNeedIdentifiersAndDistinctOptions() {
        byte[] manifest = TestManifests.manifest((number, lesson) -> number != 1 ? lesson
                : lesson.add("questions", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("id", "q").add("prompt", "?").add("options", Json.createArrayBuilder().add("a").add("a")))
                        .add(Json.createObjectBuilder().add("id", "q").add("prompt", "?").add("options", Json.createArrayBuilder().add("Yes!")))));

        assertThat(problems(manifest)).containsExactlyInAnyOrder(
                "$.lessons[0].questions[0].options: must not repeat an option",
                "$.lessons[0].questions[1].id: \"q\" appears twice in this lesson",
                "$.lessons[0].questions[1].options: must hold 2 to 10 entries",
                "$.lessons[0].questions[1].options[0]: must be an identifier (lower-case letters, digits, - and _): answers store it");
    }

    @Test
    void notJsonOrTheWrongFormatIsRefused() {
        assertThatThrownBy(() -> ManifestReader.read("{\"lessons\": [".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCurriculumException.class).hasMessageContaining("$: is not JSON");
        assertThat(problems("[]".getBytes(StandardCharsets.UTF_8))).containsExactly("$: must be a JSON object");
        assertThat(problems("{\"format\": 2, \"curriculum_version\": \"x\", \"lessons\": []}".getBytes(StandardCharsets.UTF_8)))
                .contains("$.format: must be 1 (this library reads format 1)").hasSize(13);
    }
}
