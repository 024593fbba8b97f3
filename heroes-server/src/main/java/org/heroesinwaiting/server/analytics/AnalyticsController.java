package org.heroesinwaiting.server.analytics;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.persistence.analytics.AnalyticsFilter;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.persistence.analytics.AnalyticsTable;
import org.heroesinwaiting.persistence.analytics.AnalyticsView;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;
import org.heroesinwaiting.server.http.QueryDates;

/**
 * {@code GET /api/v1/admin/analytics/{view}}: an analytics view's rows, with the suppression the
 * view applies, as JSON or (with {@code Accept: text/csv}) as CSV. Filters: {@code lesson}, {@code
 * grade}, {@code age_range}, and {@code from} and {@code to} (the days a row's period may start
 * between, both included). Admins only.
 */
public final class AnalyticsController implements Controller {

    private static final List<String> AGE_RANGES = List.of("8-9", "10-11", "12-13");

    private final AnalyticsReader analytics;

    /**
     * @param analytics reads the views
     */
    public AnalyticsController(AnalyticsReader analytics) {
        this.analytics = requireNonNull(analytics, "analytics");
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/v1/admin/analytics/{view}", this::read, Access.ADMIN);
    }

    private void read(Context ctx) {
        AnalyticsView view = AnalyticsView.fromWire(ctx.pathParam("view")).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "no analytics view named " + ctx.pathParam("view") + "; there are " + String.join(", ",
                        java.util.Arrays.stream(AnalyticsView.values()).map(AnalyticsView::wireName).toList())));
        List<FieldError> errors = new ArrayList<>();
        Optional<Integer> lesson = number(ctx, "lesson", 1, 12, errors);
        Optional<Integer> grade = number(ctx, "grade", 4, 6, errors);
        Optional<String> ageRange = Optional.ofNullable(ctx.queryParam("age_range"));
        if (ageRange.isPresent() && !AGE_RANGES.contains(ageRange.get())) {
            errors.add(new FieldError("/age_range", "must be one of " + String.join(", ", AGE_RANGES)));
        }
        Optional<LocalDate> from = QueryDates.read(ctx, "from", errors);
        Optional<LocalDate> to = QueryDates.read(ctx, "to", errors);
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            errors.add(new FieldError("/to", "must not be before from"));
        }
        if (lesson.isPresent() && !view.perLesson()) {
            errors.add(new FieldError("/lesson", "the " + view.wireName() + " view is not per lesson"));
        }
        if ((grade.isPresent() || ageRange.isPresent()) && !view.perGroup()) {
            errors.add(new FieldError(grade.isPresent() ? "/grade" : "/age_range", "the " + view.wireName()
                    + " view is not per grade and age range"));
        }
        if (errors.isEmpty() && lesson.isPresent() && !analytics.lessonExists(lesson.get())) {
            errors.add(new FieldError("/lesson", "the curriculum has no lesson " + lesson.get()));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        AnalyticsTable table = analytics.read(view, new AnalyticsFilter(lesson, grade, ageRange, from, to));
        String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
        if (accept.contains("text/csv")) {
            ctx.contentType("text/csv; charset=utf-8").result(AnalyticsCsv.write(table));
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("view", view.wireName());
        json.put("k_anonymity", table.kAnonymity());
        json.put("rows", table.rows().stream().map(AnalyticsController::wire).toList());
        ctx.json(json);
    }

    /** Dates as ISO days, so that JSON and CSV agree. */
    private static Map<String, Object> wire(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((column, value) -> out.put(column, value instanceof LocalDate day ? day.toString() : value));
        return out;
    }

    private static Optional<Integer> number(Context ctx, String name, int low, int high, List<FieldError> errors) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.matches("[0-9]{1,2}") || Integer.parseInt(value) < low || Integer.parseInt(value) > high) {
            errors.add(new FieldError("/" + name, "must be a whole number from " + low + " to " + high));
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(value));
    }
}
