package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import java.time.Clock;
import java.time.Instant;
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
import org.heroesinwaiting.core.activity.ProgressStatus;
import org.heroesinwaiting.core.activity.StudentActivity;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link StudentActivity} on the database (progress and feedback), as the student: row level security lets a student
 * write only into their own session and classroom. A batch is one transaction; each item is
 * checked before it is written, so no item can fail the others, and {@code ON CONFLICT DO NOTHING}
 * on the idempotency key makes a replay, even a concurrent one, store nothing twice.
 */
public final class DatabaseStudentActivity implements StudentActivity {

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
        Map<Integer, Optional<Lesson>> lessons = new HashMap<>();
        return batch(student, items, PROGRESS_INSERT, (handle, index, item) -> progress(handle, student, index, item, lessons),
                ProgressItem::idempotencyKey);
    }

    @Override
    public List<ItemResult> recordFeedback(AuthenticatedStudent student, List<FeedbackItem> items) {
        Map<Integer, Optional<Lesson>> lessons = new HashMap<>();
        return batch(student, items, FEEDBACK_INSERT, (handle, index, item) -> feedback(handle, student, index, item, lessons),
                FeedbackItem::idempotencyKey);
    }

    /** What judging a batch's items needs of a lesson, read once per lesson and batch. */
    private record Lesson(UUID id, Set<UUID> liveContent, Map<String, List<String>> questions) {
    }

    private static Optional<Lesson> lesson(Handle handle, int number, Map<Integer, Optional<Lesson>> read) {
        return read.computeIfAbsent(number, n -> handle.createQuery("""
                SELECT l.id,
                       ARRAY(SELECT c.id FROM lesson_content c WHERE c.lesson_id = l.id AND c.retired_at IS NULL),
                       (SELECT coalesce(jsonb_object_agg(q.question_key, q.options), '{}') FROM lesson_questions q WHERE q.lesson_id = l.id)::text
                  FROM lessons l WHERE l.lesson_number = :number""")
                .bind("number", n)
                .map((rs, ctx) -> new Lesson(rs.getObject(1, UUID.class), Set.of((UUID[]) rs.getArray(2).getArray()), questions(rs.getString(3))))
                .findOne());
    }

    private static Map<String, List<String>> questions(String json) {
        try (var reader = Json.createReader(new java.io.StringReader(json))) {
            Map<String, List<String>> questions = new HashMap<>();
            reader.readObject().forEach((key, options) -> questions.put(key, options.asJsonArray()
                    .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList()));
            return questions;
        }
    }

    private static final String PROGRESS_INSERT = """
            INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at, completed_at,
                                          time_spent_seconds, idempotency_key, recorded_at)
            VALUES (:session, :classroom, :lesson, :content, :status, :at, :completedAt, :seconds, :key, :now)
            ON CONFLICT ON CONSTRAINT student_progress_idempotency_key_key DO NOTHING""";
    private static final String FEEDBACK_INSERT = """
            INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood, answers,
                                          submitted_at, idempotency_key)
            VALUES (:session, :classroom, :lesson, :classroomSession, :rating, :mood, CAST(:answers AS jsonb), :at, :key)
            ON CONFLICT ON CONSTRAINT student_feedback_idempotency_key_key DO NOTHING""";

    /** A progress row as the insert binds it (by accessor name). */
    public record ProgressRow(UUID session, UUID classroom, UUID lesson, UUID content, String status, Instant at, Instant completedAt,
            Integer seconds, String key, Instant now) {
    }

    /** A feedback row as the insert binds it (by accessor name). */
    public record FeedbackRow(UUID session, UUID classroom, UUID lesson, UUID classroomSession, int rating, String mood, String answers,
            Instant at, String key) {
    }

    /** What judging an item found: it is rejected, or this row is to be inserted. */
    private record Verdict(ItemResult rejected, Record row) {
        static Verdict reject(int index, String key, String problem) {
            return new Verdict(ItemResult.rejected(index, key, problem), null);
        }

        static Verdict insert(Record row) {
            return new Verdict(null, row);
        }
    }

    /** Judges one item of a batch inside the batch's transaction. */
    private interface Judge<T> {
        Verdict judge(Handle handle, int index, T item);
    }

    /**
     * Judges every item, then inserts the accepted ones as one JDBC batch: {@code ON CONFLICT DO
     * NOTHING} answers 0 for a key already stored (also one stored earlier in the same batch).
     */
    private <T> List<ItemResult> batch(AuthenticatedStudent student, List<T> items, String insert, Judge<T> judge,
            java.util.function.Function<T, String> keyOf) {
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " items, not " + items.size());
        }
        return transactions.inTransaction(ActorContext.student(student.sessionId(), null), handle -> {
            if (handle.createQuery("SELECT app.student_classroom_id()").mapTo(UUID.class).findOne().isEmpty()) {
                throw new InvalidTokenException("the student session has ended");
            }
            ItemResult[] results = new ItemResult[items.size()];
            List<Integer> accepted = new ArrayList<>();
            PreparedBatch rows = handle.prepareBatch(insert);
            for (int i = 0; i < items.size(); i++) {
                Verdict verdict = judge.judge(handle, i, items.get(i));
                if (verdict.rejected() != null) {
                    results[i] = verdict.rejected();
                } else {
                    rows.bindMethods(verdict.row()).add();
                    accepted.add(i);
                }
            }
            if (!accepted.isEmpty()) {
                int[] counts = rows.execute();
                for (int j = 0; j < counts.length; j++) {
                    int index = accepted.get(j);
                    String key = keyOf.apply(items.get(index));
                    results[index] = counts[j] == 1 ? ItemResult.stored(index, key) : ItemResult.duplicate(index, key);
                }
            }
            return List.of(results);
        });
    }

    private Verdict feedback(Handle handle, AuthenticatedStudent student, int index, FeedbackItem item,
            Map<Integer, Optional<Lesson>> lessons) {
        String key = item.idempotencyKey();
        Optional<String> problem = item.problem(clock.instant());
        if (problem.isPresent()) {
            return Verdict.reject(index, key, problem.get());
        }
        Optional<Lesson> read = lesson(handle, item.lessonNumber(), lessons);
        if (read.isEmpty()) {
            return Verdict.reject(index, key, "no lesson " + item.lessonNumber());
        }
        Optional<UUID> lesson = read.map(Lesson::id);
        Map<String, List<String>> questions = read.get().questions();
        for (Map.Entry<String, String> answer : item.answers().entrySet()) {
            List<String> allowed = questions.get(answer.getKey());
            if (allowed == null) {
                return Verdict.reject(index, key, "lesson " + item.lessonNumber() + " has no question " + answer.getKey());
            }
            if (!allowed.contains(answer.getValue())) {
                return Verdict.reject(index, key, "question " + answer.getKey() + " allows " + String.join(", ", allowed) + ", not "
                        + answer.getValue());
            }
        }
        if (item.classroomSessionId() != null && handle.createQuery(
                "SELECT 1 FROM classroom_sessions WHERE id = :id AND classroom_id = :classroom AND lesson_id = :lesson")
                .bind("id", item.classroomSessionId()).bind("classroom", student.classroomId()).bind("lesson", lesson.get())
                .mapTo(Integer.class).findOne().isEmpty()) {
            return Verdict.reject(index, key, "classroom_session_id is not a session of lesson " + item.lessonNumber() + " in this classroom");
        }
        return Verdict.insert(new FeedbackRow(student.sessionId(), student.classroomId(), lesson.get(), item.classroomSessionId(),
                item.rating(), item.mood(), Json.createObjectBuilder(new HashMap<String, Object>(item.answers())).build().toString(),
                item.clientTimestamp(), key));
    }

    private Verdict progress(Handle handle, AuthenticatedStudent student, int index, ProgressItem item,
            Map<Integer, Optional<Lesson>> lessons) {
        String key = item.idempotencyKey();
        Optional<String> problem = item.problem(clock.instant());
        if (problem.isPresent()) {
            return Verdict.reject(index, key, problem.get());
        }
        Optional<UUID> lesson = lesson(handle, item.lessonNumber(), lessons)
                .filter(read -> read.liveContent().contains(item.contentId())).map(Lesson::id);
        if (lesson.isEmpty()) {
            return Verdict.reject(index, key, "content " + item.contentId() + " is not an item of lesson " + item.lessonNumber());
        }
        boolean completed = item.status() == ProgressStatus.COMPLETED;
        return Verdict.insert(new ProgressRow(student.sessionId(), student.classroomId(), lesson.get(), item.contentId(), item.status().wire(),
                item.clientTimestamp(), completed ? item.clientTimestamp() : null, item.timeSpentSeconds(), key, clock.instant()));
    }
}
