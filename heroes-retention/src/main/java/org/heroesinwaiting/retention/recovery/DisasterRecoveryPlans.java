package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * The disaster-recovery plans {@code execute_disaster_recovery_plan()} records, executed step by
 * step: a step a person does is recorded done with a note; a step the program executes (the
 * {@code initiate_recovery(...)} line of a point-in-time or table-to-a-moment plan) becomes a
 * recovery request for the moment the operator found, whose id, execution and outcome are recorded
 * on the plan ({@code disaster_recovery_plans.progress}).
 */
public final class DisasterRecoveryPlans {

    /** A step's action that the program executes: the initiate_recovery() line, with its recovery type. */
    private static final Pattern EXECUTABLE = Pattern.compile("^SELECT initiate_recovery\\('(point_in_time|table_restore)', NULL,");

    private final TransactionRunner catalog;

    /** @param catalog transactions on the application login */
    public DisasterRecoveryPlans(TransactionRunner catalog) {
        this.catalog = requireNonNull(catalog, "catalog");
    }

    /**
     * @param id a plan's id
     * @return the plan, with each step's progress
     * @throws InvalidValueException when there is none
     */
    public DisasterRecoveryPlan find(long id) {
        return catalog.selfContained(handle -> handle.createQuery("""
                SELECT id, scenario, severity, recovery_method, steps::text AS steps, progress::text AS progress
                  FROM disaster_recovery_plans WHERE id = :id""").bind("id", id)
                .map((rs, ctx) -> new DisasterRecoveryPlan(rs.getLong("id"), rs.getString("scenario"), rs.getString("severity"),
                        rs.getString("recovery_method"), steps(rs.getString("steps"), rs.getString("progress"))))
                .findOne())
                .orElseThrow(() -> new InvalidValueException("there is no disaster-recovery plan " + id));
    }

    /**
     * Records a step a person did.
     *
     * @param planId the plan
     * @param step the step's number
     * @param note what was found or done
     */
    public void done(long planId, int step, String note) {
        record(planId, step, "done", null, requireNonNull(note, "note"));
    }

    /**
     * Turns an executable step into a recovery request for a moment, recorded on the plan as
     * {@code initiated}: execute it as {@code heroes recover <id>} does, then record the outcome
     * with {@link #executed} or {@link #failed}.
     *
     * @param planId the plan
     * @param step an executable step's number
     * @param target the moment the operator found (the last one before the damage)
     * @param tables for a table restore: the tables to bring back
     * @param mode for a table restore: replace, or add the missing rows (the plan's own advice for a deletion)
     * @return the request's id in {@code recovery_log}
     * @throws InvalidValueException when the step is one a person does, or a table restore names no table
     */
    public long initiate(long planId, int step, Instant target, List<String> tables, TableRestoreMode mode) {
        requireNonNull(target, "target");
        requireNonNull(mode, "mode");
        PlanStep planned = find(planId).step(step);
        String type = planned.recoveryType().orElseThrow(() -> new InvalidValueException("step " + step + " of plan " + planId
                + " is one a person does (" + planned.action() + "): record it with --done"));
        if (type.equals("table_restore") && tables.isEmpty()) {
            throw new InvalidValueException("step " + step + " of plan " + planId + " restores tables: name them");
        }
        long id;
        try {
            id = catalog.selfContained(handle -> handle.createQuery(
                    "SELECT initiate_recovery(:type, NULL, CAST(:target AS timestamp), CAST(:tables AS text[]), :mode, 'UTC')")
                    .bind("type", type).bind("target", LocalDateTime.ofInstant(target, ZoneOffset.UTC))
                    .bind("tables", type.equals("table_restore") ? tables.toArray(String[]::new) : null).bind("mode", mode.wireName())
                    .mapTo(Long.class).one());
        } catch (RuntimeException e) {
            if (SqlStates.has(e, SqlStates.INVALID_PARAMETER_VALUE)) {
                throw new InvalidValueException(SqlStates.message(e), e);
            }
            throw e;
        }
        record(planId, step, "initiated", id, type + " to " + target + (tables.isEmpty() ? "" : " of " + String.join(", ", tables)));
        return id;
    }

    /**
     * @param planId the plan
     * @param step the step
     * @param recoveryId the recovery that executed it
     * @param detail what it did
     */
    public void executed(long planId, int step, long recoveryId, String detail) {
        record(planId, step, "executed", recoveryId, detail);
    }

    /**
     * @param planId the plan
     * @param step the step
     * @param recoveryId the recovery that failed
     * @param why why
     */
    public void failed(long planId, int step, long recoveryId, String why) {
        record(planId, step, "failed", recoveryId, why);
    }

    private void record(long planId, int step, String outcome, Long recoveryId, String detail) {
        try {
            catalog.selfContained(handle -> handle.createQuery("SELECT count(*) FROM app.dr_plan_progress(:plan, :step, :outcome, :recovery, :detail)")
                    .bind("plan", planId).bind("step", step).bind("outcome", outcome).bind("recovery", recoveryId).bind("detail", detail)
                    .mapTo(Long.class).one());
        } catch (RuntimeException e) {
            if (SqlStates.has(e, SqlStates.INVALID_PARAMETER_VALUE)) {
                throw new InvalidValueException(SqlStates.message(e), e);
            }
            throw e;
        }
    }

    private static List<PlanStep> steps(String stepsJson, String progressJson) {
        JsonArray steps = array(stepsJson);
        JsonArray progress = array(progressJson);
        List<PlanStep> read = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonObject step = steps.getJsonObject(i);
            String action = step.getString("action", "");
            Matcher executable = EXECUTABLE.matcher(action);
            List<String> done = new ArrayList<>();
            for (JsonValue value : progress) {
                JsonObject entry = value.asJsonObject();
                if (entry.getInt("step", 0) == i + 1) {
                    done.add(entry.getString("at", "") + " " + entry.getString("outcome", "") + " by " + entry.getString("by", "")
                            + (entry.containsKey("recovery_id") ? " (recovery " + entry.getJsonNumber("recovery_id").longValue() + ")" : "")
                            + (entry.containsKey("detail") ? ": " + entry.getString("detail") : ""));
                }
            }
            read.add(new PlanStep(i + 1, action, step.getString("uses", ""), executable.find() ? Optional.of(executable.group(1))
                    : Optional.empty(), done));
        }
        return read;
    }

    private static JsonArray array(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }
}
