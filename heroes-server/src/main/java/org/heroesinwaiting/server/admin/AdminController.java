package org.heroesinwaiting.server.admin;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.heroesinwaiting.core.WireFormats;
import org.heroesinwaiting.core.auth.Administration;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * {@code /api/v1/admin}: facilitators (create, list, disable and re-enable) and security incidents
 * (list with filters, acknowledge, resolve). The admin allow-list and role are checked before any
 * of these handlers runs.
 */
public final class AdminController implements Controller {


    private final Administration administration;
    private final long maxBodyBytes;

    /**
     * @param administration what admins do
     * @param maxBodyBytes the largest body accepted
     */
    public AdminController(Administration administration, long maxBodyBytes) {
        this.administration = requireNonNull(administration, "administration");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post("/api/v1/admin/facilitators", this::createFacilitator, Access.ADMIN);
        routes.get("/api/v1/admin/facilitators", this::listFacilitators, Access.ADMIN);
        routes.patch("/api/v1/admin/facilitators/{id}", this::updateFacilitator, Access.ADMIN);
        routes.get("/api/v1/admin/security-incidents", this::listIncidents, Access.ADMIN);
        routes.patch("/api/v1/admin/security-incidents/{id}", this::updateIncident, Access.ADMIN);
    }

    record CreateFacilitator(String email, String password, String displayName, String role) {
    }

    record UpdateFacilitator(Boolean isActive) {
    }

    record UpdateIncident(String status) {
    }

    private void createFacilitator(Context ctx) {
        CreateFacilitator body = Json.read(ctx, CreateFacilitator.class, maxBodyBytes);
        NewFacilitator account = new NewFacilitator(body.email(), body.password(), body.displayName(),
                body.role() == null ? NewFacilitator.FACILITATOR : body.role());
        UUID id = administration.createFacilitator(Authentication.facilitator(ctx), account);
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("id", id);
        created.put("email", account.email());
        created.put("display_name", account.displayName());
        created.put("role", account.role());
        created.put("is_active", true);
        ctx.status(201).header("Location", "/api/v1/admin/facilitators/" + id).json(created);
    }

    private void listFacilitators(Context ctx) {
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> administration.facilitators(Authentication.facilitator(ctx), limit, ctx.queryParam("cursor"))));
    }

    private void updateFacilitator(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        UpdateFacilitator body = Json.read(ctx, UpdateFacilitator.class, maxBodyBytes);
        if (body.isActive() == null) {
            throw ProblemException.validation(List.of(new FieldError("/is_active", "is required")));
        }
        ctx.json(administration.setActive(Authentication.facilitator(ctx), id, body.isActive())
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no facilitator " + id)));
    }

    private void listIncidents(Context ctx) {
        String status = ctx.queryParam("status");
        String type = ctx.queryParam("type");
        Instant since = null;
        if (ctx.queryParam("since") != null) {
            since = WireFormats.instant(ctx.queryParam("since")).orElseThrow(() -> ProblemException.validation(
                    List.of(new FieldError("/since", "must be " + WireFormats.INSTANT_FORM))));
        }
        Instant from = since;
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> administration.incidents(Authentication.facilitator(ctx), status, type, from, limit,
                ctx.queryParam("cursor"))));
    }

    private void updateIncident(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        UpdateIncident body = Json.read(ctx, UpdateIncident.class, maxBodyBytes);
        ctx.json(administration.setIncidentStatus(Authentication.facilitator(ctx), id, body.status())
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no security incident " + id)));
    }
}
