package org.heroesinwaiting.server.retention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.retention.PolicyStatus;
import org.heroesinwaiting.retention.ReportRow;
import org.heroesinwaiting.retention.RetentionResult;
import org.heroesinwaiting.retention.TableResult;
import org.heroesinwaiting.retention.TableStatus;

/**
 * The JSON shapes of retention, one place for {@code /api/v1/admin/retention} and
 * {@code heroes retention ... --json}: snake_case keys, absent values as {@code null}.
 */
public final class RetentionJson {

    private RetentionJson() {
    }

    /**
     * @param result a run
     * @return {@code {run_id, as_of, dry_run, archived, purged, still_eligible, took_ms, tables: [...]}}
     */
    public static Map<String, Object> result(RetentionResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", result.runId().isPresent() ? result.runId().getAsLong() : null);
        json.put("as_of", result.asOf().toString());
        json.put("dry_run", result.dryRun());
        json.put("archived", result.archived());
        json.put("purged", result.purged());
        json.put("still_eligible", result.stillEligible());
        json.put("took_ms", result.took().toMillis());
        json.put("tables", result.tables().stream().map(RetentionJson::table).toList());
        return json;
    }

    private static Map<String, Object> table(TableResult table) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", table.table());
        json.put("archived", table.archived());
        json.put("purged", table.purged());
        json.put("still_eligible", table.stillEligible());
        json.put("batches", table.batches());
        json.put("state", table.state());
        json.put("took_ms", table.took().toMillis());
        json.put("upkeep", table.upkeep().wire());
        return json;
    }

    /**
     * @param tables each table now
     * @param policies each policy with its last run
     * @return {@code {tables: [...], policies: [...]}}
     */
    public static Map<String, Object> status(List<TableStatus> tables, List<PolicyStatus> policies) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tables", tables.stream().map(RetentionJson::status).toList());
        json.put("policies", policies.stream().map(RetentionJson::policy).toList());
        return json;
    }

    private static Map<String, Object> status(TableStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", status.table());
        json.put("enabled", status.enabled());
        json.put("live_period", status.livePeriod());
        json.put("total_period", status.totalPeriod());
        json.put("archive_table", status.archiveTable().orElse(null));
        json.put("live_rows", status.liveRows());
        json.put("eligible_now", status.eligibleNow());
        json.put("archived_rows", status.archivedRows().orElse(null));
        json.put("due_for_deletion", status.dueForDeletion());
        json.put("oldest_live", status.oldestLive().map(Object::toString).orElse(null));
        json.put("oldest_archived", status.oldestArchived().map(Object::toString).orElse(null));
        json.put("last_run_at", status.lastRunAt().map(Object::toString).orElse(null));
        json.put("last_outcome", status.lastOutcome().orElse(null));
        return json;
    }

    private static Map<String, Object> policy(PolicyStatus policy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", policy.table());
        json.put("enabled", policy.enabled());
        json.put("live_period", policy.livePeriod());
        json.put("total_period", policy.totalPeriod());
        json.put("last_run_at", policy.lastRunAt().map(Object::toString).orElse(null));
        json.put("last_outcome", policy.lastOutcome().orElse(null));
        json.put("last_success_at", policy.lastSuccessAt().map(Object::toString).orElse(null));
        json.put("waiting_past_period", policy.waitingPastPeriod());
        return json;
    }

    /**
     * @param rows the report's rows
     * @return {@code {days: [{day, table, archived, purged, runs, failed_runs}]}}
     */
    public static Map<String, Object> report(List<ReportRow> rows) {
        return Map.of("days", rows.stream().map(row -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("day", row.day().toString());
            json.put("table", row.table());
            json.put("archived", row.archived());
            json.put("purged", row.purged());
            json.put("runs", row.runs());
            json.put("failed_runs", row.failedRuns());
            return json;
        }).toList());
    }
}
