package org.heroesinwaiting.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /problems/<slug>}: a short page on each problem type, the target of every {@code type}. */
public final class ProblemPages implements Controller {

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/problems/{slug}", this::page);
    }

    private void page(Context ctx) {
        ProblemType type = ProblemType.bySlug(ctx.pathParam("slug"))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no problem type " + ctx.pathParam("slug")));
        ctx.html("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + type.title()
                + "</title></head><body><h1>" + type.title() + " (" + type.status() + ")</h1><p>" + escape(type.description())
                + "</p><p><code>type: " + type.uri() + "</code></p></body></html>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
