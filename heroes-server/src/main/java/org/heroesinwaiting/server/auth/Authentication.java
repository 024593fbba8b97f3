package org.heroesinwaiting.server.auth;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;
import org.heroesinwaiting.server.http.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one guard of every {@code /api/v1} route that is not public. On a facilitator's route, a
 * facilitator's access token in {@code Authorization: Bearer}, verified, becomes the request's
 * {@link AuthenticatedFacilitator}, with its session checked live and the account's role (one round
 * trip), and so the actor of its transactions, each of which checks the session again as it sets
 * the context. On a
 * student's route, the opaque student token is looked up live and becomes the request's
 * {@link AuthenticatedStudent}. Neither kind is ever accepted where the other is required (401).
 * Runs after the route matched (404 and 405 come first) and before the admin checks and the body.
 */
public final class Authentication {

    /** The routes it guards. */
    public static final String PATHS = "/api/v1/*";

    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private static final String ATTRIBUTE = "heroes.facilitator";
    private static final String STUDENT_ATTRIBUTE = "heroes.student";

    private final FacilitatorAccounts accounts;
    private final StudentSessions students;

    /**
     * @param accounts verifies tokens and sessions ({@code null}: no facilitator route can be called)
     * @param students verifies student tokens ({@code null}: no student route can be called)
     */
    public Authentication(FacilitatorAccounts accounts, StudentSessions students) {
        this.accounts = accounts;
        this.students = students;
    }

    /**
     * Reads who may call the route from its {@link Access} roles: {@code PUBLIC} needs no token;
     * {@code STUDENT} alone takes a student's token; with {@code FACILITATOR} too it takes either
     * kind (a JWT, which has dots, is a facilitator's); anything else, or no declaration, takes a
     * facilitator's.
     *
     * @param ctx a request to a matched route
     * @param roles the route's roles ({@code ctx.routeRoles()})
     * @throws ProblemException unauthorized, when a token is needed and missing or invalid
     */
    public void check(Context ctx, Set<RouteRole> roles) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || roles.contains(Access.PUBLIC)) {
            return;
        }
        boolean takesStudents = roles.contains(Access.STUDENT);
        boolean takesFacilitators = roles.contains(Access.FACILITATOR) || roles.contains(Access.ADMIN) || !takesStudents;
        String header = ctx.header("Authorization");
        boolean student = takesStudents && (!takesFacilitators || (header != null && header.indexOf('.') < 0));
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw unauthorized(student ? "send a student token as Authorization: Bearer <token>"
                    : "send a facilitator's access token as Authorization: Bearer <token>");
        }
        if (student) {
            checkStudent(ctx, header.substring(7).strip());
            return;
        }
        if (accounts == null) {
            throw unauthorized("this server accepts no tokens");
        }
        if (takesStudents) {
            // a route either kind may call answers both alike, from the curriculum, with no
            // facilitator's transaction to continue: the check keeps nothing (SessionCheckScope)
            SessionCheckScope.release(ctx);
        }
        try {
            // the session live and the account's role, before anything else: a cached answer (the
            // lessons) opens no transaction that would notice a revoked session, and the admin
            // check must not trust the token's role claim
            ctx.attribute(ATTRIBUTE, accounts.authenticate(header.substring(7).strip()));
        } catch (InvalidTokenException e) {
            LOG.debug("token refused: {}", e.getMessage());
            throw unauthorized("the token is invalid or expired, or its session has ended");
        }
    }

    private void checkStudent(Context ctx, String token) {
        if (students == null) {
            throw unauthorized("this server accepts no student tokens");
        }
        try {
            ctx.attribute(STUDENT_ATTRIBUTE, students.authenticate(token, RequestIds.of(ctx)));
        } catch (InvalidTokenException e) {
            LOG.debug("student token refused: {}", e.getMessage());
            throw unauthorized("the student token is invalid, or its session has ended or expired; join the classroom again");
        }
    }

    /**
     * @param ctx a request to a student route that passed the guard
     * @return the student who made it
     */
    public static AuthenticatedStudent student(Context ctx) {
        AuthenticatedStudent student = ctx.attribute(STUDENT_ATTRIBUTE);
        if (student == null) {
            throw unauthorized("this route needs a student token");
        }
        return student;
    }

    /**
     * @param ctx a request that passed the guard
     * @return who made it
     */
    public static AuthenticatedFacilitator facilitator(Context ctx) {
        return current(ctx).orElseThrow(() -> unauthorized("this route needs a facilitator's access token"));
    }

    /**
     * @param ctx a request
     * @return who made it, when it carried a valid facilitator token
     */
    public static Optional<AuthenticatedFacilitator> current(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail, java.util.List.of(),
                java.util.Map.of("WWW-Authenticate", "Bearer realm=\"heroes-api\""));
    }
}
