package org.heroesinwaiting.server.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request has an id, answered in {@code X-Request-Id}: the client's own when it is
 * well-formed (1 to 64 letters, digits, dots, dashes, underscores), a new UUID otherwise.
 */
public final class RequestIds {

    /** The header that carries it both ways. */
    public static final String HEADER = "X-Request-Id";

    private static final String ATTRIBUTE = "heroes.request-id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    /**
     * Assigns the id and answers it; the first thing done for every request.
     *
     * @param ctx the request
     */
    public static void assign(Context ctx) {
        String offered = ctx.header(HEADER);
        String id = offered != null && WELL_FORMED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /**
     * @param ctx the request
     * @return its id
     */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            assign(ctx);
            id = ctx.attribute(ATTRIBUTE);
        }
        return id;
    }
}
