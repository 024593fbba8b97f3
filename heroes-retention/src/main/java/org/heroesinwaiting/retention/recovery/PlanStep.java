package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A step of a disaster-recovery plan, with what was done of it.
 *
 * @param number its place in the plan, from 1
 * @param action what to do
 * @param uses the backup, WAL range or table it uses
 * @param recoveryType {@code point_in_time} or {@code table_restore} when the program executes it
 *     ({@code heroes recover --plan <id> --step <n> --target ...}); empty for a step a person does
 * @param progress what was recorded of it, oldest first: {@code done}, {@code initiated}, {@code executed}, {@code failed}, with their detail
 */
public record PlanStep(int number, String action, String uses, Optional<String> recoveryType, List<String> progress) {

    public PlanStep {
        requireNonNull(action, "action");
        requireNonNull(uses, "uses");
        requireNonNull(recoveryType, "recoveryType");
        progress = List.copyOf(progress);
    }
}
