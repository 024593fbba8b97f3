package org.heroesinwaiting.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.core.activity.ClassroomArchivedException;
import org.heroesinwaiting.core.activity.LessonNotFoundException;
import org.heroesinwaiting.core.activity.SessionAlreadyOpenException;
import org.heroesinwaiting.core.auth.EmailTakenException;
import org.heroesinwaiting.core.auth.HashingOverloadedException;
import org.heroesinwaiting.core.auth.InvalidCredentialsException;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.ThrottledException;
import org.heroesinwaiting.core.auth.WeakPasswordException;
import org.heroesinwaiting.core.classroom.ClassroomFullException;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.InactiveJoinCodeException;
import org.heroesinwaiting.core.classroom.MalformedJoinCodeException;
import org.heroesinwaiting.core.classroom.UnknownJoinCodeException;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every error as RFC 9457 {@code application/problem+json} and maps what Javalin and the
 * handlers throw onto {@link ProblemType}s. Unexpected exceptions become 500 with the request id and
 * no stack trace; the trace goes to the log with the same request id.
 */
public final class Problems {

    /** The media type of every error answer. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /**
     * Registers the exception handlers.
     *
     * @param routes the server's routes
     */
    public static void register(RoutesConfig routes) {
        routes.exception(ProblemException.class, (e, ctx) -> write(ctx, e.type(), e.getMessage(), e.errors(), e.headers()));
        routes.exception(HttpResponseException.class, Problems::fromJavalin);
        routes.exception(InvalidCredentialsException.class, (e, ctx) -> write(ctx, ProblemType.UNAUTHORIZED, e.getMessage(), List.of(),
                Map.of()));
        routes.exception(InvalidTokenException.class, (e, ctx) -> write(ctx, ProblemType.UNAUTHORIZED,
                "the token is invalid or expired, or its session has ended", List.of(), Map.of()));
        routes.exception(EmailTakenException.class, (e, ctx) -> write(ctx, ProblemType.EMAIL_TAKEN, e.getMessage(), List.of(), Map.of()));
        routes.exception(WeakPasswordException.class, (e, ctx) -> write(ctx, ProblemType.WEAK_PASSWORD, e.getMessage(),
                e.reasons().stream().map(reason -> new FieldError("", reason)).toList(), Map.of()));
        routes.exception(ThrottledException.class, (e, ctx) -> write(ctx, ProblemType.RATE_LIMITED, e.getMessage(), List.of(),
                Map.of("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))));
        routes.exception(HashingOverloadedException.class, (e, ctx) -> write(ctx, ProblemType.OVERLOADED, e.getMessage(), List.of(),
                Map.of("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())))));
        routes.exception(TransactionRunner.TransactionRetriesExhaustedException.class, (e, ctx) -> write(ctx, ProblemType.OVERLOADED,
                "the database is busy with conflicting work; try again", List.of(), Map.of("Retry-After", "1")));
        routes.exception(ClassroomNotFoundException.class, (e, ctx) -> write(ctx, ProblemType.NOT_FOUND, e.getMessage(), List.of(), Map.of()));
        routes.exception(ClassroomFullException.class, (e, ctx) -> write(ctx, ProblemType.CLASSROOM_FULL, e.getMessage(), List.of(), Map.of()));
        routes.exception(InactiveJoinCodeException.class, (e, ctx) -> write(ctx, ProblemType.CODE_INACTIVE, e.getMessage(), List.of(), Map.of()));
        routes.exception(UnknownJoinCodeException.class, (e, ctx) -> write(ctx, ProblemType.CODE_UNKNOWN, e.getMessage(), List.of(), Map.of()));
        routes.exception(MalformedJoinCodeException.class, (e, ctx) -> write(ctx, ProblemType.VALIDATION_FAILED, e.getMessage(),
                List.of(new FieldError("/classroom_code", e.getMessage())), Map.of()));
        routes.exception(SessionAlreadyOpenException.class, (e, ctx) -> write(ctx, ProblemType.SESSION_ALREADY_OPEN, e.getMessage(), List.of(),
                Map.of()));
        routes.exception(ClassroomArchivedException.class, (e, ctx) -> write(ctx, ProblemType.CONFLICT, e.getMessage(), List.of(), Map.of()));
        routes.exception(LessonNotFoundException.class, (e, ctx) -> write(ctx, ProblemType.NOT_FOUND, e.getMessage(), List.of(), Map.of()));
        routes.exception(UnableToExecuteStatementException.class, Problems::fromDatabase);
        routes.exception(Exception.class, (e, ctx) -> {
            if (isBrokenRequest(e)) {
                write(ctx, ProblemType.BAD_REQUEST, "the request could not be read: its framing is broken or it ended early", List.of(),
                        Map.of());
                return;
            }
            LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.method().name(), ctx.path(), e);
            write(ctx, ProblemType.INTERNAL_ERROR, "an unexpected error occurred; quote request_id " + RequestIds.of(ctx)
                    + " when you report it", List.of(), Map.of());
        });
    }

    /**
     * @param error anything a handler threw
     * @return whether it is the client's broken request as Jetty saw it (a bad chunk, a body cut
     *     short), not a fault of ours
     */
    static boolean isBrokenRequest(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.eclipse.jetty.http.BadMessageException || cause instanceof org.eclipse.jetty.io.EofException
                    || cause.getClass().getName().endsWith("HttpEofException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers with a problem.
     *
     * @param ctx the request
     * @param type the kind of problem
     * @param detail what happened, for the client
     * @param errors invalid fields, if any
     * @param headers extra headers
     */
    public static void write(Context ctx, ProblemType type, String detail, List<FieldError> errors, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("instance", ctx.path());
        body.put("request_id", RequestIds.of(ctx));
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        headers.forEach(ctx::header);
        ctx.status(type.status()).result(Json.write(body)).contentType(CONTENT_TYPE);
    }

    /**
     * The database refused a value the request carried: a CHECK, NOT NULL or type it did not meet
     * (400), a unique key it collided with (409), or the actor's rights (403: row level security). Validation in Java should come first; this
     * keeps a value it let through from becoming a 500.
     */
    private static void fromDatabase(UnableToExecuteStatementException e, Context ctx) {
        String state = null;
        for (Throwable cause = e; cause != null && state == null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                state = sql.getSQLState();
            }
        }
        if (state != null && (state.equals("23514") || state.equals("23502") || state.startsWith("22"))) {
            write(ctx, ProblemType.VALIDATION_FAILED, "a value is outside what is accepted", List.of(), Map.of());
        } else if ("23505".equals(state)) {
            write(ctx, ProblemType.CONFLICT, "this would duplicate something that exists", List.of(), Map.of());
        } else if ("42501".equals(state)) {
            // row level security or a missing grant: the database's own word that this actor may not
            write(ctx, ProblemType.FORBIDDEN, "you may not do this", List.of(), Map.of());
        } else {
            LOG.error("request {} {} {} failed in the database", RequestIds.of(ctx), ctx.method().name(), ctx.path(), e);
            write(ctx, ProblemType.INTERNAL_ERROR, "an unexpected error occurred; quote request_id " + RequestIds.of(ctx)
                    + " when you report it", List.of(), Map.of());
        }
    }

    private static void fromJavalin(HttpResponseException e, Context ctx) {
        switch (e.getStatus()) {
            case 404 -> write(ctx, ProblemType.NOT_FOUND, e instanceof EndpointNotFound
                    ? "no route " + ctx.method().name() + " " + ctx.path() : e.getMessage(), List.of(), Map.of());
            case 405 -> {
                String allowed = e.getDetails().getOrDefault("availableMethods", "");
                write(ctx, ProblemType.METHOD_NOT_ALLOWED, ctx.path() + " answers " + allowed + ", not " + ctx.method().name(),
                        List.of(), allowed.isEmpty() ? Map.of() : Map.of("Allow", allowed));
            }
            case 413 -> write(ctx, ProblemType.PAYLOAD_TOO_LARGE, "the body is too large", List.of(), Map.of());
            default -> write(ctx, ProblemType.ofStatus(e.getStatus()), e.getMessage(), List.of(), Map.of());
        }
    }
}
