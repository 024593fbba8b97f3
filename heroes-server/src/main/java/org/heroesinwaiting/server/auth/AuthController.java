package org.heroesinwaiting.server.auth;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.TokenPair;
import org.heroesinwaiting.core.auth.WeakPasswordException;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.ClientAddresses;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;
import org.heroesinwaiting.server.http.RequestIds;

/**
 * Adults' authentication: register, login, refresh, logout, and their own account and sessions
 * ({@code /api/v1/me}).
 */
public final class AuthController implements Controller {

    private static final String REGISTER = "/api/v1/auth/register";
    private static final String LOGIN = "/api/v1/auth/login";
    private static final String REFRESH = "/api/v1/auth/refresh";

    private final FacilitatorAccounts accounts;
    private final ClientAddresses clients;
    private final boolean openRegistration;
    private final long maxBodyBytes;

    /**
     * @param accounts the accounts
     * @param clients how to tell the client's address
     * @param openRegistration whether anyone may register
     * @param maxBodyBytes the largest body accepted
     */
    public AuthController(FacilitatorAccounts accounts, ClientAddresses clients, boolean openRegistration, long maxBodyBytes) {
        this.accounts = requireNonNull(accounts, "accounts");
        this.clients = requireNonNull(clients, "clients");
        this.openRegistration = openRegistration;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(REGISTER, this::register, Access.PUBLIC);
        routes.post(LOGIN, this::login, Access.PUBLIC);
        routes.post(REFRESH, this::refresh, Access.PUBLIC);
        routes.post("/api/v1/auth/logout", this::logout, Access.FACILITATOR);
        routes.post("/api/v1/auth/logout-all", this::logoutAll, Access.FACILITATOR);
        routes.get("/api/v1/me", this::me, Access.FACILITATOR);
        routes.get("/api/v1/me/sessions", this::sessions, Access.FACILITATOR);
        routes.delete("/api/v1/me/sessions/{id}", this::revokeSession, Access.FACILITATOR);
        routes.post("/api/v1/me/password", this::changePassword, Access.FACILITATOR);
    }


    private void register(Context ctx) {
        if (!openRegistration) {
            throw new ProblemException(ProblemType.FORBIDDEN, "registration is closed; ask an administrator for an account");
        }
        AuthRequests.Register body = Json.read(ctx, AuthRequests.Register.class, maxBodyBytes);
        NewFacilitator account = new NewFacilitator(body.email(), body.password(), body.displayName(), NewFacilitator.FACILITATOR);
        UUID id = accounts.register(account, client(ctx, null));
        ctx.status(201).header("Location", "/api/v1/me")
                .json(Map.of("id", id, "email", account.email(), "display_name", account.displayName()));
    }

    private void login(Context ctx) {
        AuthRequests.Login body = Json.read(ctx, AuthRequests.Login.class, maxBodyBytes).validated();
        tokens(ctx, accounts.login(body.email(), body.password(), client(ctx, body.deviceInfo())));
    }

    private void refresh(Context ctx) {
        AuthRequests.Refresh body = Json.read(ctx, AuthRequests.Refresh.class, maxBodyBytes).validated();
        try {
            tokens(ctx, accounts.refresh(body.refreshToken(), client(ctx, null)));
        } catch (org.heroesinwaiting.core.auth.InvalidTokenException e) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "the refresh token is invalid, used or expired; log in again");
        }
    }

    private void logout(Context ctx) {
        accounts.logout(Authentication.facilitator(ctx));
        ctx.status(204);
    }

    private void logoutAll(Context ctx) {
        accounts.logoutAll(Authentication.facilitator(ctx));
        ctx.status(204);
    }

    private void me(Context ctx) {
        ctx.json(accounts.profile(Authentication.facilitator(ctx)));
    }

    private void sessions(Context ctx) {
        ctx.json(Map.of("items", accounts.sessions(Authentication.facilitator(ctx)), "next_cursor", Json.mapper().nullNode()));
    }

    private void revokeSession(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        if (!accounts.revokeSession(Authentication.facilitator(ctx), id)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no live session " + id + " of yours");
        }
        ctx.status(204);
    }

    private void changePassword(Context ctx) {
        AuthRequests.PasswordChange body = Json.read(ctx, AuthRequests.PasswordChange.class, maxBodyBytes).validated();
        try {
            accounts.changePassword(Authentication.facilitator(ctx), body.currentPassword(), body.newPassword());
        } catch (WeakPasswordException e) {
            throw weak("/new_password", e);
        } catch (org.heroesinwaiting.core.auth.InvalidCredentialsException e) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "the current password is wrong",
                    List.of(new FieldError("/current_password", "is wrong")), Map.of());
        }
        ctx.status(204);
    }

    private void tokens(Context ctx, TokenPair tokens) {
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("access_token", tokens.accessToken(), "token_type", "Bearer",
                "expires_in", tokens.expiresIn().toSeconds(), "refresh_token", tokens.refreshToken()));
    }

    private ClientInfo client(Context ctx, jakarta.json.JsonObject deviceInfo) {
        InetAddress address = clients.of(ctx);
        return new ClientInfo(address, ctx.userAgent(), deviceInfo, RequestIds.of(ctx));
    }

    private static ProblemException weak(String pointer, WeakPasswordException e) {
        return new ProblemException(ProblemType.WEAK_PASSWORD, e.getMessage(),
                e.reasons().stream().map(reason -> new FieldError(pointer, reason)).toList(), Map.of());
    }
}
