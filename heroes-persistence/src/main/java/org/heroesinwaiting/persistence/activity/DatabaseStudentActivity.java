package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.heroesinwaiting.core.activity.FeedbackItem;
import org.heroesinwaiting.core.activity.ItemResult;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.StudentActivity;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Handle;

/**
 * {@link StudentActivity} on the database (progress and feedback), as the student: row level security lets a student
 * write only into their own session and classroom. A batch is one transaction; each item is
 * checked before it is written, so no item can fail the others, and {@code ON CONFLICT DO NOTHING}
 * on the idempotency key makes a replay, even a concurrent one, store nothing twice.
 */
public final class DatabaseStudentActivity implements StudentActivity {

    private static final Set<String> STATUSES = Set.of("started", "completed");
    /** A device's clock may run ahead; a day more is a wrong clock, not an event. */
    private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock what counts as now
     */
    public DatabaseStudentActivity(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public List<ItemResult> recordProgress(AuthenticatedStudent student, List<ProgressItem> items) {
        return batch(student, items, (handle, index, item) -> progress(handle, student, index, item));
    }

    @Override
    public List<ItemResult> recordFeedback(AuthenticatedStudent student, List<FeedbackItem> items) {
        Map<Integer, Map<String, List<String>>> questions = new HashMap<>();
        return batch(student, items, (handle, index, item) -> feedback(handle, student, index, item, questions));
    }

    /** Judges one item of a batch inside the batch's transaction. */
    private interface Judge<T> {
        ItemResult judge(Handle handle, int index, T item);
    }

    private <T> List<ItemResult> batch(AuthenticatedStudent student, List<T> items, Judge<T> judge) {
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " items, not " + items.size());
        }
        return transactions.inTransaction(ActorContext.student(student.sessionId(), null), handle -> {
            if (handle.createQuery("SELECT app.student_classroom_id()").mapTo(UUID.class).findOne().isEmpty()) {
                throw new InvalidTokenException("the student session has ended");
            }
            List<ItemResult> results = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                results.add(judge.judge(handle, i, items.get(i)));
            }
            return results;
        });
    }

    private ItemResult feedback(Handle handle, AuthenticatedStudent student, int index, FeedbackItem item,
            Map<Integer, Map<String, List<String>>> questionsByLesson) {
        String key = item.idempotencyKey();
        String problem = checkFeedback(item);
        if (problem != null) {
            return ItemResult.rejected(index, key, problem);
        }
        Optional<UUID> lesson = handle.createQuery("SELECT id FROM lessons WHERE lesson_number = :number")
                .bind("number", item.lessonNumber()).mapTo(UUID.class).findOne();
        if (lesson.isEmpty()) {
            return ItemResult.rejected(index, key, "no lesson " + item.lessonNumber());
        }
        Map<String, List<String>> questions = questionsByLesson.computeIfAbsent(item.lessonNumber(), number -> handle.createQuery(
                "SELECT question_key, options::text FROM lesson_questions WHERE lesson_id = :lesson")
                .bind("lesson", lesson.get())
                .map((rs, ctx) -> Map.entry(rs.getString(1), options(rs.getString(2)))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        for (Map.Entry<String, String> answer : item.answers().entrySet()) {
            List<String> allowed = questions.get(answer.getKey());
            if (allowed == null) {
                return ItemResult.rejected(index, key, "lesson " + item.lessonNumber() + " has no question " + answer.getKey());
            }
            if (!allowed.contains(answer.getValue())) {
                return ItemResult.rejected(index, key, "question " + answer.getKey() + " allows " + String.join(", ", allowed) + ", not "
                        + answer.getValue());
            }
        }
        if (item.classroomSessionId() != null && handle.createQuery(
                "SELECT 1 FROM classroom_sessions WHERE id = :id AND classroom_id = :classroom AND lesson_id = :lesson")
                .bind("id", item.classroomSessionId()).bind("classroom", student.classroomId()).bind("lesson", lesson.get())
                .mapTo(Integer.class).findOne().isEmpty()) {
            return ItemResult.rejected(index, key, "classroom_session_id is not a session of lesson " + item.lessonNumber() + " in this classroom");
        }
        int stored = handle.createUpdate("""
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood, answers,
                                              submitted_at, idempotency_key)
                VALUES (:session, :classroom, :lesson, :classroomSession, :rating, :mood, CAST(:answers AS jsonb), :at, :key)
                ON CONFLICT ON CONSTRAINT student_feedback_idempotency_key_key DO NOTHING""")
                .bind("session", student.sessionId()).bind("classroom", student.classroomId()).bind("lesson", lesson.get())
                .bind("classroomSession", item.classroomSessionId()).bind("rating", item.rating()).bind("mood", item.mood())
                .bind("answers", Json.createObjectBuilder(new java.util.HashMap<String, Object>(item.answers())).build().toString())
                .bind("at", item.clientTimestamp()).bind("key", key).execute();
        return stored == 1 ? ItemResult.stored(index, key) : ItemResult.duplicate(index, key);
    }

    private String checkFeedback(FeedbackItem item) {
        if (item.idempotencyKey() == null || item.idempotencyKey().isBlank() || item.idempotencyKey().length() > 100) {
            return "idempotency_key must have 1 to 100 characters";
        }
        if (item.lessonNumber() < 1 || item.lessonNumber() > 12) {
            return "lesson_number must be 1 to 12";
        }
        if (item.rating() < 1 || item.rating() > 5) {
            return "rating must be 1 to 5";
        }
        if (item.mood() == null || !FeedbackItem.MOODS.contains(item.mood())) {
            return "mood must be one of " + String.join(", ", FeedbackItem.MOODS);
        }
        if (item.answers() == null) {
            return "answers is required (an object, possibly empty)";
        }
        if (item.clientTimestamp() == null) {
            return "client_timestamp is required";
        }
        if (item.clientTimestamp().isAfter(clock.instant().plus(FUTURE_TOLERANCE))) {
            return "client_timestamp is more than a day in the future";
        }
        return null;
    }

    private static List<String> options(String jsonArray) {
        try (var reader = Json.createReader(new java.io.StringReader(jsonArray))) {
            return reader.readArray().getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
        }
    }

    private ItemResult progress(Handle handle, AuthenticatedStudent student, int index, ProgressItem item) {
        String key = item.idempotencyKey();
        String problem = check(item);
        if (problem != null) {
            return ItemResult.rejected(index, key, problem);
        }
        Optional<UUID> lesson = handle.createQuery("""
                SELECT l.id FROM lesson_content c JOIN lessons l ON l.id = c.lesson_id
                 WHERE c.id = :content AND l.lesson_number = :number AND c.retired_at IS NULL""")
                .bind("content", item.contentId()).bind("number", item.lessonNumber()).mapTo(UUID.class).findOne();
        if (lesson.isEmpty()) {
            return ItemResult.rejected(index, key, "content " + item.contentId() + " is not an item of lesson " + item.lessonNumber());
        }
        boolean completed = item.status().equals("completed");
        int stored = handle.createUpdate("""
                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at, completed_at,
                                              time_spent_seconds, idempotency_key, recorded_at)
                VALUES (:session, :classroom, :lesson, :content, :status, :at, :completedAt, :seconds, :key, :now)
                ON CONFLICT ON CONSTRAINT student_progress_idempotency_key_key DO NOTHING""")
                .bind("session", student.sessionId()).bind("classroom", student.classroomId()).bind("lesson", lesson.get())
                .bind("content", item.contentId()).bind("status", item.status()).bind("at", item.clientTimestamp())
                .bind("completedAt", completed ? item.clientTimestamp() : null).bind("seconds", item.timeSpentSeconds())
                .bind("key", key).bind("now", clock.instant()).execute();
        return stored == 1 ? ItemResult.stored(index, key) : ItemResult.duplicate(index, key);
    }

    private String check(ProgressItem item) {
        if (item.idempotencyKey() == null || item.idempotencyKey().isBlank() || item.idempotencyKey().length() > 100) {
            return "idempotency_key must have 1 to 100 characters";
        }
        if (item.lessonNumber() < 1 || item.lessonNumber() > 12) {
            return "lesson_number must be 1 to 12";
        }
        if (item.contentId() == null) {
            return "content_id is required";
        }
        if (item.status() == null || !STATUSES.contains(item.status())) {
            return "status must be started or completed";
        }
        if (item.timeSpentSeconds() != null && (item.timeSpentSeconds() < 0 || item.timeSpentSeconds() > 86_400)) {
            return "time_spent_seconds must be 0 to 86400";
        }
        if (item.clientTimestamp() == null) {
            return "client_timestamp is required";
        }
        if (item.clientTimestamp().isAfter(clock.instant().plus(FUTURE_TOLERANCE))) {
            return "client_timestamp is more than a day in the future";
        }
        return null;
    }
}
