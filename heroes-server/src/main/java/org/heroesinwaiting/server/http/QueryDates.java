package org.heroesinwaiting.server.http;

import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** A day in a query parameter ({@code ?from=2026-01-01}), read one way for every route. */
public final class QueryDates {

    private QueryDates() {
    }

    /**
     * @param ctx the request
     * @param name the parameter
     * @param errors where a malformed day is reported, pointing at {@code /<name>}
     * @return the day, or empty when the parameter is absent or malformed (then reported)
     */
    public static Optional<LocalDate> read(Context ctx, String name, List<FieldError> errors) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            // four-digit years only: java.time also reads +999999999-01-01, which no database holds
            if (!value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("/" + name, "must be a date, YYYY-MM-DD"));
            return Optional.empty();
        }
    }
}
