package org.heroesinwaiting.server.http;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every kind of error the HTTP API answers, with its stable {@code type} ({@code /problems/<slug>}),
 * status and title (API.md). {@code GET /problems/<slug>} serves {@link #description()}.
 */
public enum ProblemType {
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON", "The request body is not valid JSON."),
    VALIDATION_FAILED("validation-failed", 400, "Validation failed",
            "A field is missing, of the wrong type, out of range, or unknown. `errors` lists each one with a JSON pointer."),
    WEAK_PASSWORD("weak-password", 400, "Weak password",
            "The password is too short, too long, or too easy to guess."),
    BATCH_TOO_LARGE("batch-too-large", 400, "Batch too large", "The batch holds more items than the endpoint accepts."),
    IMPORT_INVALID("import-invalid", 400, "Import invalid", "The curriculum file fails validation; `errors` lists every problem."),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized",
            "No token, a bad or expired token, a revoked session, or the wrong kind of token."),
    FORBIDDEN("forbidden", 403, "Forbidden",
            "Authenticated but not allowed: not an admin, an admin route from an address not allowed, or registration closed."),
    BAD_REQUEST("bad-request", 400, "Bad request",
            "The request is not well-formed HTTP: a path with a NUL or an invalid escape, a control character in a header, or a body whose chunked framing is broken."),
    NOT_FOUND("not-found", 404, "Not found", "No such route or resource."),
    CODE_UNKNOWN("code-unknown", 404, "Classroom code unknown", "The join code matches no classroom."),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed",
            "The route exists, with other methods; the Allow header lists them."),
    EMAIL_TAKEN("email-taken", 409, "Email taken", "An account with this email exists."),
    CLASSROOM_FULL("classroom-full", 409, "Classroom full", "Every seat of the classroom is taken by a live session."),
    SESSION_ALREADY_OPEN("session-already-open", 409, "Session already open", "The classroom already has an open lesson session."),
    CONFLICT("conflict", 409, "Conflict", "The request conflicts with the current state of the resource."),
    CODE_INACTIVE("code-inactive", 410, "Classroom code inactive", "The code is disabled, expired, or its classroom archived."),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large", "The request body is larger than the server accepts."),
    URI_TOO_LONG("uri-too-long", 414, "URI too long", "The request's path and query are longer than the server reads."),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type",
            "The request body must be application/json in UTF-8 (no charset, or charset=utf-8)."),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable",
            "The Range header asks for bytes the file does not have; Content-Range gives its size."),
    RATE_LIMITED("rate-limited", 429, "Too many requests", "Slow down; Retry-After says when to try again."),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request headers too large", "The request's headers are larger than the server reads."),
    OVERLOADED("overloaded", 503, "Overloaded", "The server is busy; Retry-After says when to try again."),
    RETENTION_FAILED("retention-failed", 503, "Retention run failed",
            "A batch of the retention run failed; every batch before it is committed, and the next run goes on. Retry-After says when."),
    BACKUPS_UNAVAILABLE("backups-unavailable", 503, "Backups unavailable",
            "The server cannot make or verify backups: it has no backup settings, or its backup folder, backup login, superuser or"
            + " PostgreSQL programs are not usable. The detail says which; the server's log says more."),
    INTERNAL_ERROR("internal-error", 500, "Internal error",
            "Something unexpected went wrong. Quote the request_id when you report it.");

    private final String slug;
    private final int status;
    private final String title;
    private final String description;

    ProblemType(String slug, int status, String title, String description) {
        this.slug = slug;
        this.status = status;
        this.title = title;
        this.description = description;
    }

    /** @return the last segment of {@link #uri()}, e.g. {@code malformed-json} */
    public String slug() {
        return slug;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return a short, fixed summary */
    public String title() {
        return title;
    }

    /** @return what it means and what to do */
    public String description() {
        return description;
    }

    /** @return the problem's {@code type}: {@code /problems/<slug>} */
    public String uri() {
        return "/problems/" + slug;
    }

    /**
     * @param status an HTTP error status
     * @return the general problem type of that status ({@code internal-error} for one the API never answers)
     */
    public static ProblemType ofStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 503 -> OVERLOADED;
            default -> INTERNAL_ERROR;
        };
    }

    /**
     * @param slug a slug
     * @return the problem type with it
     */
    public static Optional<ProblemType> bySlug(String slug) {
        return Arrays.stream(values()).filter(type -> type.slug.equals(slug)).findFirst();
    }
}
