package org.heroesinwaiting.persistence.activity;

import jakarta.json.Json;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;

/**
 * A student's progress and feedback, written as the student (row level security: only into their
 * own session and classroom). {@code ON CONFLICT DO NOTHING} on the idempotency key makes a
 * replay, even a concurrent one, store nothing twice: its count is 0.
 */
public interface StudentActivityDao {

    /** What judging a batch's items needs of a lesson: its live items and its questions with their options. */
    record Lesson(UUID id, Set<UUID> liveContent, Map<String, List<String>> questions) {
    }

    /** Maps a {@link Lesson}: an array and a JSON object, by hand. */
    final class LessonMapper implements RowMapper<Lesson> {
        @Override
        public Lesson map(ResultSet rs, StatementContext ctx) throws SQLException {
            Map<String, List<String>> questions = new HashMap<>();
            try (var reader = Json.createReader(new StringReader(rs.getString(3)))) {
                reader.readObject().forEach((key, options) -> questions.put(key, options.asJsonArray()
                        .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()));
            }
            return new Lesson(rs.getObject(1, UUID.class), Set.of((UUID[]) rs.getArray(2).getArray()), questions);
        }
    }

    @SqlQuery("""
            SELECT l.id,
                   ARRAY(SELECT c.id FROM lesson_content c WHERE c.lesson_id = l.id AND c.retired_at IS NULL),
                   (SELECT coalesce(jsonb_object_agg(q.question_key, q.options), '{}') FROM lesson_questions q WHERE q.lesson_id = l.id)::text
              FROM lessons l WHERE l.lesson_number = :number""")
    @UseRowMapper(LessonMapper.class)
    Optional<Lesson> lesson(@Bind("number") int number);

    /** @return the acting student's classroom, empty when the session has ended */
    @SqlQuery("SELECT app.student_classroom_id()")
    Optional<UUID> studentClassroom();

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM classroom_sessions WHERE id = :id AND classroom_id = :classroom AND lesson_id = :lesson)")
    boolean isSessionOf(@Bind("id") UUID classroomSession, @Bind("classroom") UUID classroom, @Bind("lesson") UUID lesson);

    /** A progress row as the insert binds it (by accessor name). */
    record ProgressRow(UUID session, UUID classroom, UUID lesson, UUID content, String status, Instant at, Instant completedAt,
            Integer seconds, String key, Instant now) {
    }

    /** A feedback row as the insert binds it (by accessor name). */
    record FeedbackRow(UUID session, UUID classroom, UUID lesson, UUID classroomSession, int rating, String mood, String answers,
            Instant at, String key) {
    }

    /** @return per row, 1 when stored, 0 when its key was stored before */
    @SqlBatch("""
            INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at, completed_at,
                                          time_spent_seconds, idempotency_key, recorded_at)
            VALUES (:session, :classroom, :lesson, :content, :status, :at, :completedAt, :seconds, :key, :now)
            ON CONFLICT ON CONSTRAINT student_progress_idempotency_key_key DO NOTHING""")
    int[] insertProgress(@BindMethods List<ProgressRow> rows);

    /** @return per row, 1 when stored, 0 when its key was stored before */
    @SqlBatch("""
            INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood, answers,
                                          submitted_at, idempotency_key)
            VALUES (:session, :classroom, :lesson, :classroomSession, :rating, :mood, CAST(:answers AS jsonb), :at, :key)
            ON CONFLICT ON CONSTRAINT student_feedback_idempotency_key_key DO NOTHING""")
    int[] insertFeedback(@BindMethods List<FeedbackRow> rows);
}
