package org.heroesinwaiting.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.Response;
import java.io.IOException;
import java.util.List;
import org.heroesinwaiting.server.http.Json;

/** What every test of an HTTP answer checks. */
public final class HttpAssertions {

    private HttpAssertions() {
    }

    /**
     * @param response an answer
     * @param status its expected status
     * @param slug its expected problem type
     */
    public static void assertProblem(Response response, int status, String slug) {
        assertThat(response.code()).isEqualTo(status);
        assertThat(header(response, "Content-Type")).startsWith("application/problem+json");
        assertThat(header(response, "X-Request-Id")).isNotBlank();
        JsonNode body = json(response);
        assertThat(body.get("type").asText()).isEqualTo("/problems/" + slug);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("detail").asText()).isNotBlank();
    }

    /**
     * @param response an answer
     * @param name a header
     * @return its first value, or {@code null}
     */
    public static String header(Response response, String name) {
        List<String> values = response.headers().get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * @param response an answer
     * @return its body as JSON
     */
    public static JsonNode json(Response response) {
        return json(response.body().string());
    }

    /**
     * @param text JSON text
     * @return it parsed
     */
    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
