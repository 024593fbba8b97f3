package org.heroesinwaiting.core.curriculum;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The JSON Schema in the repository names exactly the properties the reader reads, level by level. */
class ManifestSchemaTest {

    @Test
    void theSchemaAndTheReaderAgreeOnEveryProperty() throws IOException {
        JsonObject schema = Json.createReader(new StringReader(Files.readString(Path.of("../curriculum/manifest.schema.json")))).readObject();
        JsonObject lesson = schema.getJsonObject("properties").getJsonObject("lessons").getJsonObject("items");
        JsonObject item = lesson.getJsonObject("properties").getJsonObject("content").getJsonObject("items");
        JsonObject question = lesson.getJsonObject("properties").getJsonObject("questions").getJsonObject("items");

        assertThat(schema.getJsonObject("properties").keySet()).isEqualTo(ManifestReader.ROOT);
        assertThat(lesson.getJsonObject("properties").keySet()).isEqualTo(ManifestReader.LESSON);
        assertThat(item.getJsonObject("properties").keySet()).isEqualTo(ManifestReader.CONTENT);
        assertThat(question.getJsonObject("properties").keySet()).isEqualTo(ManifestReader.QUESTION);
        assertThat(item.getJsonObject("properties").getJsonObject("content_type").getJsonArray("enum").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList()).isEqualTo(ManifestReader.CONTENT_TYPES);
    }
}
