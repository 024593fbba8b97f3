package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A plan {@code execute_disaster_recovery_plan()} made and recorded in {@code disaster_recovery_plans}.
 *
 * @param id its id
 * @param scenario the scenario it answers ({@code accidental_deletion}, ...)
 * @param severity low to critical
 * @param method point-in-time, tables-to-time, physical-full or logical-full
 * @param steps its steps, in order
 */
public record DisasterRecoveryPlan(long id, String scenario, String severity, String method, List<PlanStep> steps) {

    public DisasterRecoveryPlan {
        requireNonNull(scenario, "scenario");
        requireNonNull(severity, "severity");
        requireNonNull(method, "method");
        steps = List.copyOf(steps);
    }

    /**
     * @param number a step's number
     * @return the step
     * @throws org.heroesinwaiting.core.InvalidValueException when the plan has no such step
     */
    public PlanStep step(int number) {
        if (number < 1 || number > steps.size()) {
            throw new org.heroesinwaiting.core.InvalidValueException("plan " + id + " has steps 1 to " + steps.size() + ", not " + number);
        }
        return steps.get(number - 1);
    }
}
