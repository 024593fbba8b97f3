package org.heroesinwaiting.server.activity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.heroesinwaiting.core.activity.ItemResult;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.StudentActivity;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * {@code POST /api/v1/student/progress}: a batch of 1 to 200 progress events the app queued. Each
 * item is judged on its own, its result answered in its place: a malformed item is rejected with
 * the reason, and never keeps the others from being stored.
 */
public final class ProgressController implements Controller {

    private static final String PROGRESS = "/api/v1/student/progress";
    private static final Set<String> FIELDS = Set.of("idempotency_key", "lesson_number", "content_id", "status", "time_spent_seconds",
            "client_timestamp");

    private final StudentActivity activity;
    private final long maxBodyBytes;

    /**
     * @param activity where progress goes
     * @param maxBodyBytes the largest body accepted
     */
    public ProgressController(StudentActivity activity, long maxBodyBytes) {
        this.activity = requireNonNull(activity, "activity");
        this.maxBodyBytes = maxBodyBytes;
    }

    record Batch(List<JsonNode> items) {
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(PROGRESS, this::progress);
    }

    @Override
    public Set<String> studentRoutes() {
        return Set.of(PROGRESS);
    }

    private void progress(Context ctx) {
        Batch batch = Json.read(ctx, Batch.class, maxBodyBytes);
        if (batch.items() == null || batch.items().isEmpty()) {
            throw ProblemException.validation(List.of(new FieldError("/items", "must hold 1 to " + StudentActivity.MAX_BATCH + " items")));
        }
        if (batch.items().size() > StudentActivity.MAX_BATCH) {
            throw new ProblemException(ProblemType.BATCH_TOO_LARGE, "a batch holds at most " + StudentActivity.MAX_BATCH + " items, not "
                    + batch.items().size() + "; send the rest in another");
        }
        ItemResult[] results = new ItemResult[batch.items().size()];
        List<ProgressItem> wellFormed = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < batch.items().size(); i++) {
            JsonNode node = batch.items().get(i);
            String key = node != null && node.path("idempotency_key").isTextual() ? node.get("idempotency_key").textValue() : null;
            try {
                wellFormed.add(item(node));
                places.add(i);
            } catch (IllegalArgumentException e) {
                results[i] = ItemResult.rejected(i, key, e.getMessage());
            }
        }
        if (!wellFormed.isEmpty()) {
            List<ItemResult> judged = activity.recordProgress(Authentication.student(ctx), wellFormed);
            for (int j = 0; j < judged.size(); j++) {
                ItemResult result = judged.get(j);
                int place = places.get(j);
                results[place] = new ItemResult(place, result.idempotencyKey(), result.status(), result.problem());
            }
        }
        List<Map<String, Object>> answer = new ArrayList<>();
        for (ItemResult result : results) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("index", result.index());
            fields.put("idempotency_key", result.idempotencyKey());
            fields.put("status", result.status());
            if (result.problem() != null) {
                fields.put("problem", Map.of("type", ProblemType.VALIDATION_FAILED.uri(), "detail", result.problem()));
            }
            answer.add(fields);
        }
        ctx.json(Map.of("results", answer));
    }

    /** One item's fields, each of the right type, or the reason it cannot be one. */
    private static ProgressItem item(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an item must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown property " + name);
            }
        }
        String key = text(node, "idempotency_key");
        if (!node.path("lesson_number").isInt()) {
            throw new IllegalArgumentException("lesson_number must be a whole number");
        }
        UUID content;
        try {
            content = UUID.fromString(text(node, "content_id"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("content_id must be a UUID");
        }
        Integer seconds = null;
        if (node.has("time_spent_seconds") && !node.get("time_spent_seconds").isNull()) {
            if (!node.get("time_spent_seconds").isInt()) {
                throw new IllegalArgumentException("time_spent_seconds must be a whole number");
            }
            seconds = node.get("time_spent_seconds").intValue();
        }
        Instant at;
        try {
            at = Instant.parse(text(node, "client_timestamp"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("client_timestamp must be an ISO-8601 UTC time like 2026-11-30T10:00:00Z");
        }
        return new ProgressItem(key, node.get("lesson_number").intValue(), content, text(node, "status"), seconds, at);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(name + " is required, as a string");
        }
        return value.textValue();
    }
}
