package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The testkit's page (docs/testkit.md) shows the example test exactly as it compiles and passes here. */
class ReadmeTest {

    @Test
    void theTestkitPageShowsTheExampleTestVerbatim() throws IOException {
        Path example = Paths.get("src/test/java/org/heroesinwaiting/testkit/ReadmeExampleTest.java");
        String source = Files.readString(example, StandardCharsets.UTF_8);
        String block = source.substring(source.indexOf("// README-EXAMPLE-START\n") + "// README-EXAMPLE-START\n".length(),
                source.indexOf("// README-EXAMPLE-END"));

        assertThat(Files.readString(Paths.get("../docs/testkit.md"), StandardCharsets.UTF_8)).contains("```java\n" + block + "```");
        assertThat(block.lines().filter(line -> !line.isBlank()).count()).as("a complete test in 15 lines").isLessThanOrEqualTo(15);
    }
}
