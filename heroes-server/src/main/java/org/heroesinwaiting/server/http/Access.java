package org.heroesinwaiting.server.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route under {@code /api/v1}, declared with the route and read by the one guard
 * ({@code Authentication}):
 *
 * <pre>{@code
 * routes.get("/api/v1/classrooms", this::list, Access.FACILITATOR);
 * routes.get("/api/v1/lessons", this::lessons, Access.FACILITATOR, Access.STUDENT); // either kind of token
 * }</pre>
 *
 * A route under {@code /api/v1} that declares none is a facilitator's: forgetting the declaration
 * never opens a route.
 */
public enum Access implements RouteRole {
    /** No token: registration, login, refresh, a student's join. */
    PUBLIC,
    /** A student's token. */
    STUDENT,
    /** A facilitator's access token, its session live. */
    FACILITATOR,
    /** A facilitator's access token whose account is an administrator's, from an allowed address. */
    ADMIN
}
