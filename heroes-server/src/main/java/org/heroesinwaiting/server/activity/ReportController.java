package org.heroesinwaiting.server.activity;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.heroesinwaiting.core.activity.ClassroomReports;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Lists;

/**
 * A facilitator's views of their classroom: {@code GET /api/v1/classrooms/{id}/progress} and
 * {@code .../feedback}. Counts, never a child; breakdowns only from 5 students up.
 */
public final class ReportController implements Controller {

    private final ClassroomReports reports;

    /** @param reports the views */
    public ReportController(ClassroomReports reports) {
        this.reports = requireNonNull(reports, "reports");
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/v1/classrooms/{id}/progress", this::progress, Access.FACILITATOR);
        routes.get("/api/v1/classrooms/{id}/feedback", this::feedback, Access.FACILITATOR);
    }

    private void progress(Context ctx) {
        ctx.json(Map.of("lessons", reports.progress(Authentication.facilitator(ctx), Lists.id(ctx, "id"))));
    }

    private void feedback(Context ctx) {
        ctx.json(Map.of("lessons", reports.feedback(Authentication.facilitator(ctx), Lists.id(ctx, "id"))));
    }
}
