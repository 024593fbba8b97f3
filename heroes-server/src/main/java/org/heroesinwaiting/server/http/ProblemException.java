package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.heroesinwaiting.core.HeroesException;

/**
 * Thrown by handlers to answer with a problem; the server's exception handler writes it.
 */
public class ProblemException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final transient List<FieldError> errors;
    private final transient Map<String, String> headers;

    /**
     * @param type the kind of problem
     * @param detail what happened, for the client (never a stack trace or personal data)
     */
    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of());
    }

    /**
     * @param type the kind of problem
     * @param detail what happened
     * @param errors the invalid fields, for validation problems
     * @param headers extra response headers ({@code Retry-After}, {@code Allow})
     */
    public ProblemException(ProblemType type, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail);
        this.type = requireNonNull(type, "type");
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    /**
     * @param errors the invalid fields
     * @return a 400 validation-failed problem listing them
     */
    public static ProblemException validation(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).detail() : errors.size() + " fields are invalid";
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail, errors, Map.of());
    }

    /** @return the kind of problem */
    public ProblemType type() {
        return type;
    }

    /** @return the invalid fields, if any */
    public List<FieldError> errors() {
        return errors;
    }

    /** @return extra response headers */
    public Map<String, String> headers() {
        return headers;
    }
}
