package org.heroesinwaiting.server.auth;

import io.javalin.http.Context;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/** A route declared {@code Access.ADMIN} is for administrators only (403 otherwise), checked after the address allow-list. */
public final class AdminRole {

    private AdminRole() {
    }

    /**
     * @param ctx a request to an admin route, past authentication
     * @throws ProblemException forbidden, when the facilitator is no admin
     */
    public static void check(Context ctx) {
        if (!Authentication.facilitator(ctx).isAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this route is for administrators");
        }
    }
}
