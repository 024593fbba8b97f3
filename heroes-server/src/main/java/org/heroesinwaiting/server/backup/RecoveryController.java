package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.retention.recovery.RecoveryRequest;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.RecoveryWorker;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * {@code /api/v1/admin/recoveries}: the recovery log, newest first, one recovery, and an admin's
 * approval of a request ({@code initiate_recovery()} in psql) for the server's worker to execute
 * within a minute ({@code recoveries} job). Admins only, behind the admin allow-list.
 */
public final class RecoveryController implements Controller {

    private final Optional<RecoveryRequests> requests;
    private final Optional<RecoveryWorker> worker;

    /**
     * @param requests the recovery log; empty when the library makes no backups (503 {@code backups-unavailable})
     * @param worker approves requests it can execute; empty likewise
     */
    public RecoveryController(Optional<RecoveryRequests> requests, Optional<RecoveryWorker> worker) {
        this.requests = requireNonNull(requests, "requests");
        this.worker = requireNonNull(worker, "worker");
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/v1/admin/recoveries", this::list, Access.ADMIN);
        routes.get("/api/v1/admin/recoveries/{id}", this::show, Access.ADMIN);
        routes.post("/api/v1/admin/recoveries/{id}/approve", this::approve, Access.ADMIN);
    }

    private void list(Context ctx) {
        int limit = Lists.limit(ctx);
        ctx.json(Map.of("items", requests().recent(limit).stream().map(RecoveryController::json).toList()));
    }

    private void show(Context ctx) {
        ctx.json(json(find(ctx)));
    }

    private void approve(Context ctx) {
        RecoveryRequest request = find(ctx);
        RecoveryWorker approving = worker.orElseThrow(RecoveryController::unavailable);
        ctx.json(json(approving.approve(Authentication.facilitator(ctx).actor(), request.id())));
    }

    private RecoveryRequest find(Context ctx) {
        int id = Lists.number(ctx, "id");
        return requests().lookup(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no recovery " + id));
    }

    private RecoveryRequests requests() {
        return requests.orElseThrow(RecoveryController::unavailable);
    }

    private static ProblemException unavailable() {
        return new ProblemException(ProblemType.BACKUPS_UNAVAILABLE, "this server makes no backups: the library was given no backup settings");
    }

    /**
     * @param request a row of the recovery log
     * @return {@code {id, kind, status, backup_id, tables, mode, target_time, target_zone, approved_at, approved_by, error}}
     */
    static Map<String, Object> json(RecoveryRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", request.id());
        json.put("kind", request.kind());
        json.put("status", request.status());
        json.put("backup_id", request.backupId().orElse(null));
        json.put("tables", request.tables());
        json.put("mode", request.mode().map(mode -> mode.wireName()).orElse(null));
        json.put("target_time", request.target().map(Instant::toString).orElse(null));
        json.put("target_zone", request.targetZone().orElse(null));
        json.put("approved_at", request.approvedAt().map(Instant::toString).orElse(null));
        json.put("approved_by", request.approvedBy().map(Object::toString).orElse(null));
        json.put("error", request.error().orElse(null));
        return json;
    }
}
