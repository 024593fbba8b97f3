package org.heroesinwaiting.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of an input before failing, so that a caller learns all of them at once.
 *
 * <pre>{@code
 * InputChecks checks = new InputChecks();
 * checks.require("name", name);
 * checks.check(grade == null || grade >= 4, "grade_level", "must be 4 to 6");
 * checks.throwIfAny();
 * }</pre>
 */
public final class InputChecks {

    private final List<InputProblem> problems = new ArrayList<>();

    /**
     * @param field the field's wire name
     * @param value its value
     * @return whether it is present (else "is required" was recorded)
     */
    public boolean require(String field, Object value) {
        if (value == null) {
            problems.add(new InputProblem(field, "is required"));
            return false;
        }
        return true;
    }

    /**
     * @param ok whether the rule holds
     * @param field the field's wire name
     * @param message what is wrong when it does not
     * @return {@code ok}
     */
    public boolean check(boolean ok, String field, String message) {
        if (!ok) {
            problems.add(new InputProblem(field, message));
        }
        return ok;
    }

    /** @return whether a problem was recorded */
    public boolean any() {
        return !problems.isEmpty();
    }

    /** @throws InvalidInputException listing every problem recorded, if any */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }
}
