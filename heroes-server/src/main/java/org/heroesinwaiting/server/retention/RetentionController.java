package org.heroesinwaiting.server.retention;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.heroesinwaiting.retention.RetentionRequest;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.QueryDates;

/**
 * {@code /api/v1/admin/retention}: the retention status, a run now ({@code {table?, dry_run?}}), and
 * the report of a period. Admins only, behind the admin allow-list, like every admin route.
 */
public final class RetentionController implements Controller {

    private final RetentionService retention;
    private final long maxBodyBytes;

    /**
     * @param retention the service
     * @param maxBodyBytes the largest body accepted
     */
    public RetentionController(RetentionService retention, long maxBodyBytes) {
        this.retention = requireNonNull(retention, "retention");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/v1/admin/retention", this::status, Access.ADMIN);
        routes.post("/api/v1/admin/retention/run", this::run, Access.ADMIN);
        routes.get("/api/v1/admin/retention/report", this::report, Access.ADMIN);
    }

    record RunRequest(String table, Boolean dryRun) {
    }

    private void status(Context ctx) {
        ctx.json(RetentionJson.status(retention.status(), retention.policies()));
    }

    private void run(Context ctx) {
        // no body at all (no Content-Type either) runs every table; a JSON body must be a whole document
        boolean noBody = ctx.contentLength() <= 0 && ctx.header("Content-Type") == null && ctx.header("Transfer-Encoding") == null;
        RunRequest body = noBody ? new RunRequest(null, null) : Json.read(ctx, RunRequest.class, maxBodyBytes);
        RetentionRequest request = body.table() == null ? RetentionRequest.all() : RetentionRequest.table(body.table());
        ctx.json(RetentionJson.result(retention.run(Boolean.TRUE.equals(body.dryRun()) ? request.asDryRun() : request)));
    }

    private void report(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate from = date(ctx, "from", errors);
        LocalDate to = date(ctx, "to", errors);
        if (errors.isEmpty() && to.isBefore(from)) {
            errors.add(new FieldError("/to", "must not be before from"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        ctx.json(RetentionJson.report(retention.report(from, to)));
    }

    private static LocalDate date(Context ctx, String name, List<FieldError> errors) {
        if (ctx.queryParam(name) == null) {
            errors.add(new FieldError("/" + name, "is required (YYYY-MM-DD)"));
            return null;
        }
        return QueryDates.read(ctx, name, errors).orElse(null);
    }
}
