package org.heroesinwaiting.server.http;

import org.heroesinwaiting.core.WireFormats;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.heroesinwaiting.core.Page;

/**
 * The conventions every list and resource path shares (API.md): {@code ?limit=} and
 * {@code ?cursor=}, the {@code {items, next_cursor}} body, and ids and numbers in paths.
 */
public final class Lists {

    private Lists() {
    }

    /**
     * @param ctx the request
     * @return {@code ?limit=}, {@link Page#DEFAULT_LIMIT} when absent
     * @throws ProblemException validation-failed when it is not 1 to {@link Page#MAXIMUM_LIMIT}
     */
    public static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return Page.DEFAULT_LIMIT;
        }
        java.util.OptionalInt limit = WireFormats.number(text);
        if (limit.isPresent() && limit.getAsInt() >= 1 && limit.getAsInt() <= Page.MAXIMUM_LIMIT) {
            return limit.getAsInt();
        }
        throw ProblemException.validation(List.of(new FieldError("/limit", "must be 1 to " + Page.MAXIMUM_LIMIT)));
    }

    /**
     * @param listing reads a page; a cursor this server did not make throws {@link IllegalArgumentException}
     * @param <T> the item type
     * @return the body {@code {items, next_cursor}}
     * @throws ProblemException validation-failed for a foreign cursor: the client's mistake, not ours
     */
    public static <T> Map<String, Object> page(Supplier<Page<T>> listing) {
        Page<T> page;
        try {
            page = listing.get();
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("/cursor", "is not a cursor of this list")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next_cursor", page.nextCursor());
        return body;
    }

    /**
     * @param ctx the request
     * @param name the path parameter
     * @return it as a UUID
     * @throws ProblemException not-found when it is not one: no resource has that id
     */
    public static UUID id(Context ctx, String name) {
        return WireFormats.uuid(ctx.pathParam(name))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no such " + name + ": not a UUID"));
    }

    /**
     * @param ctx the request
     * @param name the path parameter
     * @return it as a number
     * @throws ProblemException not-found when it is not one: no resource has that number
     */
    public static int number(Context ctx, String name) {
        // ASCII digits only: Integer.parseInt would read a fullwidth "１" as lesson 1
        return WireFormats.number(ctx.pathParam(name)).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "no such " + name + ": not a number in ASCII digits"));
    }
}
