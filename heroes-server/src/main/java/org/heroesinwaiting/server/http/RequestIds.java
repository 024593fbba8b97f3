package org.heroesinwaiting.server.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        String id = accept(ctx.header(HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /**
     * @param offered the client's {@code X-Request-Id}, or null
     * @return it when well-formed, a new id otherwise
     */
    static String accept(String offered) {
        return offered != null && WELL_FORMED.matcher(offered).matches() ? offered : newId();
    }

    /**
     * A version-4 UUID from {@link ThreadLocalRandom}: a request id names a request in logs and is
     * no secret, and {@code UUID.randomUUID()} takes {@code SecureRandom}'s one lock on every
     * request of every thread.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
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
