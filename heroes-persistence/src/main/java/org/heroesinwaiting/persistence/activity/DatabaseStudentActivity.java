package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        Map<Integer, Optional<StudentActivityDao.Lesson>> lessons = new HashMap<>();
        return batch(student, items, (dao, index, item) -> progress(dao, student, index, item, lessons),
                StudentActivityDao::insertProgress, ProgressItem::idempotencyKey);
    }

    @Override
    public List<ItemResult> recordFeedback(AuthenticatedStudent student, List<FeedbackItem> items) {
        Map<Integer, Optional<StudentActivityDao.Lesson>> lessons = new HashMap<>();
        return batch(student, items, (dao, index, item) -> feedback(dao, student, index, item, lessons),
                StudentActivityDao::insertFeedback, FeedbackItem::idempotencyKey);
    }

    private static Optional<StudentActivityDao.Lesson> lesson(StudentActivityDao dao, int number,
            Map<Integer, Optional<StudentActivityDao.Lesson>> read) {
        return read.computeIfAbsent(number, dao::lesson);
    }

    /** What judging an item found: it is rejected, or this row is to be inserted. */
    private record Verdict<R>(ItemResult rejected, R row) {
        static <R> Verdict<R> reject(int index, String key, String problem) {
            return new Verdict<>(ItemResult.rejected(index, key, problem), null);
        }

        static <R> Verdict<R> insert(R row) {
            return new Verdict<>(null, row);
        }
    }

    /** Judges one item of a batch inside the batch's transaction. */
    private interface Judge<T, R> {
        Verdict<R> judge(StudentActivityDao dao, int index, T item);
    }

    /**
     * Judges every item, then inserts the accepted ones as one JDBC batch: {@code ON CONFLICT DO
     * NOTHING} answers 0 for a key already stored (also one stored earlier in the same batch).
     */
    private <T, R> List<ItemResult> batch(AuthenticatedStudent student, List<T> items, Judge<T, R> judge,
            java.util.function.BiFunction<StudentActivityDao, List<R>, int[]> insert, java.util.function.Function<T, String> keyOf) {
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " items, not " + items.size());
        }
        return transactions.inTransaction(ActorContext.student(student.sessionId(), null), handle -> {
            StudentActivityDao dao = handle.attach(StudentActivityDao.class);
            if (dao.studentClassroom().isEmpty()) {
                throw new InvalidTokenException("the student session has ended");
            }
            ItemResult[] results = new ItemResult[items.size()];
            List<Integer> accepted = new ArrayList<>();
            List<R> rows = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Verdict<R> verdict = judge.judge(dao, i, items.get(i));
                if (verdict.rejected() != null) {
                    results[i] = verdict.rejected();
                } else {
                    rows.add(verdict.row());
                    accepted.add(i);
                }
            }
            if (!accepted.isEmpty()) {
                int[] counts = insert.apply(dao, rows);
                for (int j = 0; j < counts.length; j++) {
                    int index = accepted.get(j);
                    String key = keyOf.apply(items.get(index));
                    results[index] = counts[j] == 1 ? ItemResult.stored(index, key) : ItemResult.duplicate(index, key);
                }
            }
            return List.of(results);
        });
    }

    private Verdict<StudentActivityDao.FeedbackRow> feedback(StudentActivityDao dao, AuthenticatedStudent student, int index,
            FeedbackItem item, Map<Integer, Optional<StudentActivityDao.Lesson>> lessons) {
        String key = item.idempotencyKey();
        Optional<String> problem = item.problem(clock.instant());
        if (problem.isPresent()) {
            return Verdict.reject(index, key, problem.get());
        }
        Optional<StudentActivityDao.Lesson> read = lesson(dao, item.lessonNumber(), lessons);
        if (read.isEmpty()) {
            return Verdict.reject(index, key, "no lesson " + item.lessonNumber());
        }
        Optional<UUID> lesson = read.map(StudentActivityDao.Lesson::id);
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
        if (item.classroomSessionId() != null && !dao.isSessionOf(item.classroomSessionId(), student.classroomId(), lesson.get())) {
            return Verdict.reject(index, key, "classroom_session_id is not a session of lesson " + item.lessonNumber() + " in this classroom");
        }
        return Verdict.insert(new StudentActivityDao.FeedbackRow(student.sessionId(), student.classroomId(), lesson.get(), item.classroomSessionId(),
                item.rating(), item.mood(), Json.createObjectBuilder(new HashMap<String, Object>(item.answers())).build().toString(),
                item.clientTimestamp(), key));
    }

    private Verdict<StudentActivityDao.ProgressRow> progress(StudentActivityDao dao, AuthenticatedStudent student, int index,
            ProgressItem item, Map<Integer, Optional<StudentActivityDao.Lesson>> lessons) {
        String key = item.idempotencyKey();
        Optional<String> problem = item.problem(clock.instant());
        if (problem.isPresent()) {
            return Verdict.reject(index, key, problem.get());
        }
        Optional<UUID> lesson = lesson(dao, item.lessonNumber(), lessons)
                .filter(read -> read.liveContent().contains(item.contentId())).map(StudentActivityDao.Lesson::id);
        if (lesson.isEmpty()) {
            return Verdict.reject(index, key, "content " + item.contentId() + " is not an item of lesson " + item.lessonNumber());
        }
        boolean completed = item.status() == ProgressStatus.COMPLETED;
        return Verdict.insert(new StudentActivityDao.ProgressRow(student.sessionId(), student.classroomId(), lesson.get(), item.contentId(), item.status().wire(),
                item.clientTimestamp(), completed ? item.clientTimestamp() : null, item.timeSpentSeconds(), key, clock.instant()));
    }
}
