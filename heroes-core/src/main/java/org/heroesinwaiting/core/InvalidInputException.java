package org.heroesinwaiting.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a caller gave breaks one or more of the domain's rules; every problem is listed, with where
 * it is. Thrown by the domain's records as they are made ({@code NewClassroom.of(...)}), so a rule
 * lives once, in core.
 *
 * <pre>{@code
 * try {
 *     NewClassroom room = NewClassroom.of(name, grade, seats);
 * } catch (InvalidInputException e) {
 *     e.problems().forEach(p -> form.mark(p.field(), p.message()));
 * }
 * }</pre>
 */
public final class InvalidInputException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final List<InputProblem> problems;

    /**
     * @param problems at least one
     */
    public InvalidInputException(List<InputProblem> problems) {
        super(problems.stream().map(InputProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInputException needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in the order the fields were checked */
    public List<InputProblem> problems() {
        return problems;
    }
}
