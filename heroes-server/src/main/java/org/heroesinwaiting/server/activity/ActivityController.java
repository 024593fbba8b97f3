package org.heroesinwaiting.server.activity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.heroesinwaiting.core.WireFormats;
import org.heroesinwaiting.core.activity.FeedbackItem;
import org.heroesinwaiting.core.activity.ItemResult;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.ProgressStatus;
import org.heroesinwaiting.core.activity.StudentActivity;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * {@code POST /api/v1/student/progress} and {@code POST /api/v1/student/feedback}: batches of 1 to
 * 200 items the app queued. Each item is judged on its own, its result answered in its place: a
 * malformed item is rejected with the reason, and never keeps the others from being stored.
 */
public final class ActivityController implements Controller {

    private static final String PROGRESS = "/api/v1/student/progress";
    private static final String FEEDBACK = "/api/v1/student/feedback";
    private static final Set<String> PROGRESS_FIELDS = Set.of("idempotency_key", "lesson_number", "content_id", "status",
            "time_spent_seconds", "client_timestamp");
    private static final Set<String> FEEDBACK_FIELDS = Set.of("idempotency_key", "lesson_number", "classroom_session_id", "rating", "mood",
            "answers", "client_timestamp");

    private final StudentActivity activity;
    private final long maxBodyBytes;

    /**
     * @param activity where progress goes
     * @param maxBodyBytes the largest body accepted
     */
    public ActivityController(StudentActivity activity, long maxBodyBytes) {
        this.activity = requireNonNull(activity, "activity");
        this.maxBodyBytes = maxBodyBytes;
    }

    record Batch(List<JsonNode> items) {
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(PROGRESS, ctx -> batch(ctx, ActivityController::progressItem, activity::recordProgress), Access.STUDENT);
        routes.post(FEEDBACK, ctx -> batch(ctx, ActivityController::feedbackItem, activity::recordFeedback), Access.STUDENT);
    }


    private <T> void batch(Context ctx, java.util.function.Function<JsonNode, T> parse,
            java.util.function.BiFunction<org.heroesinwaiting.core.classroom.AuthenticatedStudent, List<T>, List<ItemResult>> record) {
        Batch batch = Json.read(ctx, Batch.class, maxBodyBytes);
        if (batch.items() == null || batch.items().isEmpty()) {
            throw ProblemException.validation(List.of(new FieldError("/items", "must hold 1 to " + StudentActivity.MAX_BATCH + " items")));
        }
        if (batch.items().size() > StudentActivity.MAX_BATCH) {
            throw new ProblemException(ProblemType.BATCH_TOO_LARGE, "a batch holds at most " + StudentActivity.MAX_BATCH + " items, not "
                    + batch.items().size() + "; send the rest in another");
        }
        ItemResult[] results = new ItemResult[batch.items().size()];
        List<T> wellFormed = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < batch.items().size(); i++) {
            JsonNode node = batch.items().get(i);
            String key = node != null && node.path("idempotency_key").isTextual() ? node.get("idempotency_key").textValue() : null;
            try {
                wellFormed.add(parse.apply(node));
                places.add(i);
            } catch (IllegalArgumentException e) {
                results[i] = ItemResult.rejected(i, key, e.getMessage());
            }
        }
        if (!wellFormed.isEmpty()) {
            List<ItemResult> judged = record.apply(Authentication.student(ctx), wellFormed);
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
            fields.put("status", result.status().wire());
            if (result.problem() != null) {
                fields.put("problem", Map.of("type", ProblemType.VALIDATION_FAILED.uri(), "detail", result.problem()));
            }
            answer.add(fields);
        }
        ctx.json(Map.of("results", answer));
    }

    /** One progress item's fields, each of the right type, or the reason it cannot be one. */
    private static ProgressItem progressItem(JsonNode node) {
        known(node, PROGRESS_FIELDS);
        String key = text(node, "idempotency_key");
        int lesson = integer(node, "lesson_number");
        UUID content = uuid(node, "content_id");
        Integer seconds = null;
        if (node.has("time_spent_seconds")) {
            if (!node.get("time_spent_seconds").isInt()) {
                throw new IllegalArgumentException("time_spent_seconds must be a whole number (leave it out when unknown)");
            }
            seconds = node.get("time_spent_seconds").intValue();
        }
        return new ProgressItem(key, lesson, content, ProgressStatus.parse(text(node, "status")), seconds, instant(node, "client_timestamp"));
    }

    /** One feedback item's fields: only identifiers, numbers and fixed words; no free text fits anywhere. */
    private static FeedbackItem feedbackItem(JsonNode node) {
        known(node, FEEDBACK_FIELDS);
        String key = text(node, "idempotency_key");
        int lesson = integer(node, "lesson_number");
        UUID session = node.hasNonNull("classroom_session_id") ? uuid(node, "classroom_session_id") : null;
        int rating = integer(node, "rating");
        JsonNode answers = node.get("answers");
        if (answers == null || !answers.isObject()) {
            throw new IllegalArgumentException("answers must be an object of question id to option");
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = answers.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> answer = fields.next();
            if (!answer.getValue().isTextual()) {
                throw new IllegalArgumentException("answer to " + answer.getKey() + " must be one of its options, as a string");
            }
            chosen.put(answer.getKey(), answer.getValue().textValue());
        }
        return new FeedbackItem(key, lesson, session, rating, text(node, "mood"), chosen, instant(node, "client_timestamp"));
    }

    private static void known(JsonNode node, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an item must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("unknown property " + name);
            }
        }
    }

    private static int integer(JsonNode node, String name) {
        if (!node.path(name).isInt()) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
        return node.get(name).intValue();
    }

    private static UUID uuid(JsonNode node, String name) {
        return WireFormats.uuid(text(node, name)).orElseThrow(() -> new IllegalArgumentException(name + " must be a UUID"));
    }

    private static Instant instant(JsonNode node, String name) {
        return WireFormats.instant(text(node, name)).orElseThrow(() -> new IllegalArgumentException(name + " must be " + WireFormats.INSTANT_FORM));
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(name + " is required, as a string");
        }
        return value.textValue();
    }
}
