package org.heroesinwaiting.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.heroesinwaiting.core.DatabaseBusyException;
import org.heroesinwaiting.core.DatabaseUnavailableException;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.InputProblem;
import org.heroesinwaiting.core.InvalidInputException;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.RetryLater;
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
import org.heroesinwaiting.retention.RetentionDisabledException;
import org.heroesinwaiting.retention.RetentionFailedException;
import org.heroesinwaiting.retention.RetentionInProgressException;
import org.heroesinwaiting.retention.backup.BackupBusyException;
import org.heroesinwaiting.retention.backup.BackupFailedException;
import org.heroesinwaiting.retention.backup.BackupRootException;
import org.heroesinwaiting.retention.recovery.RecoveryNotRunnableException;
import org.heroesinwaiting.retention.recovery.RecoveryNotWaitingException;
import org.heroesinwaiting.retention.recovery.RestoreFailedException;
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
     * How each of the library's exceptions is answered: the one rule from a core failure to a
     * problem. The most specific class listed wins; a {@link RetryLater} adds {@code Retry-After}.
     */
    private static final Map<Class<? extends HeroesException>, Mapping> MAPPINGS = Map.ofEntries(
            entry(InvalidCredentialsException.class, ProblemType.UNAUTHORIZED),
            entry(InvalidTokenException.class, new Mapping(ProblemType.UNAUTHORIZED,
                    e -> "the token is invalid or expired, or its session has ended", e -> List.of())),
            entry(EmailTakenException.class, ProblemType.EMAIL_TAKEN),
            entry(WeakPasswordException.class, new Mapping(ProblemType.WEAK_PASSWORD, HeroesException::getMessage,
                    e -> ((WeakPasswordException) e).reasons().stream().map(reason -> new FieldError("/password", reason)).toList())),
            entry(InvalidInputException.class, new Mapping(ProblemType.VALIDATION_FAILED, e -> "the request has invalid fields",
                    e -> ((InvalidInputException) e).problems().stream().map(Problems::fieldError).toList())),
            entry(MalformedJoinCodeException.class, new Mapping(ProblemType.VALIDATION_FAILED, HeroesException::getMessage,
                    e -> List.of(new FieldError("/classroom_code", e.getMessage())))),
            entry(ThrottledException.class, ProblemType.RATE_LIMITED),
            entry(HashingOverloadedException.class, ProblemType.OVERLOADED),
            entry(DatabaseBusyException.class, new Mapping(ProblemType.OVERLOADED,
                    e -> "the database is busy with conflicting work; try again", e -> List.of())),
            entry(DatabaseUnavailableException.class, new Mapping(ProblemType.OVERLOADED,
                    e -> "the database is unavailable; try again", e -> List.of())),
            entry(ClassroomNotFoundException.class, ProblemType.NOT_FOUND),
            entry(LessonNotFoundException.class, ProblemType.NOT_FOUND),
            entry(ClassroomFullException.class, ProblemType.CLASSROOM_FULL),
            entry(InactiveJoinCodeException.class, ProblemType.CODE_INACTIVE),
            entry(UnknownJoinCodeException.class, ProblemType.CODE_UNKNOWN),
            entry(SessionAlreadyOpenException.class, ProblemType.SESSION_ALREADY_OPEN),
            entry(ClassroomArchivedException.class, ProblemType.CONFLICT),
            entry(DuplicateException.class, ProblemType.CONFLICT),
            entry(InvalidValueException.class, ProblemType.VALIDATION_FAILED),
            entry(NotPermittedException.class, ProblemType.FORBIDDEN),
            entry(RetentionInProgressException.class, ProblemType.CONFLICT),
            entry(RetentionDisabledException.class, ProblemType.CONFLICT),
            entry(RetentionFailedException.class, ProblemType.RETENTION_FAILED),
            entry(BackupBusyException.class, ProblemType.CONFLICT),
            entry(BackupRootException.class, ProblemType.BACKUPS_UNAVAILABLE),
            entry(BackupFailedException.class, ProblemType.BACKUPS_UNAVAILABLE),
            entry(RestoreFailedException.class, ProblemType.BACKUPS_UNAVAILABLE),
            entry(RecoveryNotWaitingException.class, ProblemType.CONFLICT),
            entry(RecoveryNotRunnableException.class, ProblemType.CONFLICT));

    /**
     * A problem's type, its detail and its field errors, from an exception.
     *
     * @param type the problem
     * @param detail the detail from the exception
     * @param errors the field errors from the exception
     */
    private record Mapping(ProblemType type, Function<HeroesException, String> detail,
            Function<HeroesException, List<FieldError>> errors) {
    }

    private static Map.Entry<Class<? extends HeroesException>, Mapping> entry(Class<? extends HeroesException> type, ProblemType problem) {
        return Map.entry(type, new Mapping(problem, HeroesException::getMessage, e -> List.of()));
    }

    private static Map.Entry<Class<? extends HeroesException>, Mapping> entry(Class<? extends HeroesException> type, Mapping mapping) {
        return Map.entry(type, mapping);
    }

    /**
     * Registers the exception handlers.
     *
     * @param routes the server's routes
     */
    public static void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, Problems::fromJavalin);
        routes.exception(HeroesException.class, Problems::fromLibrary);
        routes.exception(Exception.class, (e, ctx) -> {
            if (isBrokenRequest(e)) {
                write(ctx, ProblemType.BAD_REQUEST, "the request could not be read: its framing is broken or it ended early", List.of(),
                        Map.of());
                return;
            }
            internalError(ctx, e);
        });
    }

    private static void fromLibrary(HeroesException e, Context ctx) {
        if (e instanceof ProblemException problem) {
            write(ctx, problem.type(), problem.getMessage(), problem.errors(), problem.headers());
            return;
        }
        Mapping mapping = null;
        for (Class<?> type = e.getClass(); mapping == null && HeroesException.class.isAssignableFrom(type); type = type.getSuperclass()) {
            mapping = MAPPINGS.get(type);
        }
        if (mapping == null) {
            internalError(ctx, e);
            return;
        }
        Map<String, String> headers = e instanceof RetryLater later
                ? Map.of("Retry-After", Long.toString(Math.max(1, later.retryAfter().toSeconds()))) : Map.of();
        write(ctx, mapping.type(), mapping.detail().apply(e), mapping.errors().apply(e), headers);
    }

    /**
     * @param problem a problem of an input, by the field's wire name
     * @return it at the field's JSON pointer ({@code grade_level} is {@code /grade_level})
     */
    public static FieldError fieldError(InputProblem problem) {
        return new FieldError(problem.field().isEmpty() ? "" : "/" + problem.field(), problem.message());
    }

    private static void internalError(Context ctx, Exception e) {
        LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.method().name(), ctx.path(), e);
        write(ctx, ProblemType.INTERNAL_ERROR, "an unexpected error occurred; quote request_id " + RequestIds.of(ctx)
                + " when you report it", List.of(), Map.of());
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
