package org.heroesinwaiting.server.openapi;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.heroesinwaiting.server.http.Controller;

/** {@code GET /openapi.yaml}: the OpenAPI 3.1 description of every route. */
public final class OpenApiController implements Controller {

    /** Where the description lives on the classpath. */
    public static final String RESOURCE = "org/heroesinwaiting/server/openapi.yaml";

    private final byte[] description = load();

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/openapi.yaml", this::serve);
    }

    private void serve(Context ctx) {
        ctx.result(description).contentType("application/yaml");
    }

    /** @return the description's text */
    public static byte[] load() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
