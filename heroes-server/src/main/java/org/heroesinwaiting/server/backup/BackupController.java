package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.heroesinwaiting.retention.BackupTasks;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRecord;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.StartedBackup;
import org.heroesinwaiting.retention.recovery.StartedVerification;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * {@code /api/v1/admin/backups}: the catalog, page by page and one backup with its restores; a
 * backup started now ({@code {kind?, format?}}) and a verification of one, each answered 202 as
 * soon as its row exists while the work runs off the request thread (one of each at a time: 409
 * {@code conflict} with {@code Retry-After}). Admins only, behind the admin allow-list.
 */
public final class BackupController implements Controller {

    private static final int RECOVERIES_SHOWN = 10;

    private final BackupCatalog catalog;
    private final Optional<BackupTasks> tasks;
    private final long maxBodyBytes;

    /**
     * @param catalog reads the catalog
     * @param tasks starts backups and verifications; empty when the library makes no backups (503 {@code backups-unavailable})
     * @param maxBodyBytes the largest body accepted
     */
    public BackupController(BackupCatalog catalog, Optional<BackupTasks> tasks, long maxBodyBytes) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.tasks = requireNonNull(tasks, "tasks");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/api/v1/admin/backups", this::list, Access.ADMIN);
        routes.post("/api/v1/admin/backups", this::start, Access.ADMIN);
        routes.get("/api/v1/admin/backups/{id}", this::show, Access.ADMIN);
        routes.post("/api/v1/admin/backups/{id}/verify", this::verify, Access.ADMIN);
    }

    record StartRequest(String kind, String format) {
    }

    private void list(Context ctx) {
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> catalog.page(limit, ctx.queryParam("cursor")).map(BackupJson::record)));
    }

    private void show(Context ctx) {
        BackupRecord backup = find(ctx);
        ctx.json(BackupJson.detail(backup, catalog.recoveries(backup.id(), RECOVERIES_SHOWN)));
    }

    private void start(Context ctx) {
        // no body at all (no Content-Type either) makes a full backup; a JSON body must be a whole document
        boolean noBody = ctx.contentLength() <= 0 && ctx.header("Content-Type") == null && ctx.header("Transfer-Encoding") == null;
        StartRequest body = noBody ? new StartRequest(null, null) : Json.read(ctx, StartRequest.class, maxBodyBytes);
        BackupKind kind = body.kind() == null ? BackupKind.FULL : field("/kind", () -> BackupKind.fromWire(body.kind()));
        BackupFormat format = body.format() == null ? BackupFormat.CUSTOM : field("/format", () -> BackupFormat.fromWire(body.format()));
        // a daily backup is refused by the service itself (InvalidValueException: 400), saying why
        StartedBackup started = tasks().backup(BackupRequest.manual(kind).withFormat(format));
        BackupRecord backup = catalog.find(started.id()).orElseThrow(() -> new IllegalStateException("backup " + started.id() + " has no row"));
        ctx.status(202).header("Location", location(started.id())).json(BackupJson.record(backup));
    }

    private void verify(Context ctx) {
        BackupRecord backup = find(ctx);
        if (!backup.status().equals("succeeded")) {
            throw new ProblemException(ProblemType.CONFLICT, "backup " + backup.id() + " is " + backup.status()
                    + ": only a backup that succeeded can be verified");
        }
        BackupTasks work = tasks();
        if (!work.canVerify()) {
            throw new ProblemException(ProblemType.BACKUPS_UNAVAILABLE, "verifying a backup needs the cluster's superuser (HEROES_SUPERUSER)");
        }
        StartedVerification started = work.verify(backup.id());
        ctx.status(202).header("Location", location(backup.id())).json(BackupJson.started(started));
    }

    /** @return the value read, or a 400 naming the field with the library's own message */
    private static <T> T field(String pointer, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError(pointer, e.getMessage())));
        }
    }

    private BackupRecord find(Context ctx) {
        int id = Lists.number(ctx, "id");
        return catalog.find(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no backup " + id));
    }

    private BackupTasks tasks() {
        return tasks.orElseThrow(() -> new ProblemException(ProblemType.BACKUPS_UNAVAILABLE,
                "this server makes no backups: the library was given no backup settings"));
    }

    private static String location(long id) {
        return "/api/v1/admin/backups/" + id;
    }
}
