package org.heroesinwaiting.core.curriculum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentFilesTest {

    @TempDir
    Path content;

    private void write(int lesson, String text) throws IOException {
        Files.createDirectories(content.resolve("lesson-" + lesson));
        Files.writeString(content.resolve("lesson-" + lesson + "/handout.txt"), text);
    }

    @Test
    void filesThatMatchPass() throws IOException {
        for (int lesson = 1; lesson <= 12; lesson++) {
            write(lesson, TestManifests.HANDOUT);
        }
        assertThat(ContentFiles.check(ManifestReader.read(TestManifests.valid()), content)).isEmpty();
    }

    @Test
    void aMissingFileAWrongHashAndAWrongSizeAreEachReported() throws IOException {
        for (int lesson = 1; lesson <= 12; lesson++) {
            if (lesson == 2) {
                continue;
            }
            write(lesson, lesson == 5 ? "A handout!\n" : lesson == 7 ? "A longer handout.\n" : TestManifests.HANDOUT);
        }

        assertThat(ContentFiles.check(ManifestReader.read(TestManifests.valid()), content)).extracting(ManifestProblem::path)
                .containsExactly("$.lessons[1].content[1].file", "$.lessons[4].content[1].sha256", "$.lessons[6].content[1].size_bytes",
                        "$.lessons[6].content[1].sha256");
    }
}
