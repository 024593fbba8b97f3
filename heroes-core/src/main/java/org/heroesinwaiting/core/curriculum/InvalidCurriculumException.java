package org.heroesinwaiting.core.curriculum;

import java.util.List;
import org.heroesinwaiting.core.HeroesException;

/** A curriculum manifest that cannot be imported; {@link #problems()} lists every reason. */
public final class InvalidCurriculumException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final List<ManifestProblem> problems;

    /** @param problems every problem found, at least one */
    public InvalidCurriculumException(List<ManifestProblem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the curriculum: "
                + String.join("; ", problems.stream().limit(5).map(ManifestProblem::toString).toList())
                + (problems.size() > 5 ? "; ..." : ""));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in document order */
    public List<ManifestProblem> problems() {
        return problems;
    }
}
