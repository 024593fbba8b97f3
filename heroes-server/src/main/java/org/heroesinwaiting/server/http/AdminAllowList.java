package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import org.heroesinwaiting.server.config.CidrList;

/**
 * A route declared {@link Access#ADMIN} answers 403 to a client outside {@code HEROES_ADMIN_ALLOW}.
 * Checked after authentication, so an unauthenticated call still hears 401 first (API.md's order).
 */
public final class AdminAllowList {

    private final CidrList allowed;
    private final ClientAddresses clients;

    /**
     * @param allowed the networks admins may call from
     * @param clients how to tell the client's address
     */
    public AdminAllowList(CidrList allowed, ClientAddresses clients) {
        this.allowed = requireNonNull(allowed, "allowed");
        this.clients = requireNonNull(clients, "clients");
    }

    /**
     * @param ctx a request to an admin route
     * @throws ProblemException forbidden, when the address is not allowed
     */
    public void check(Context ctx) {
        if (!allowed.contains(clients.of(ctx))) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "admin routes are not available from this address (see HEROES_ADMIN_ALLOW)");
        }
    }
}
