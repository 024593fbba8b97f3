package org.heroesinwaiting.persistence.classroom;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.StudentProfile;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * A student's session: the join and the token check, each one SECURITY DEFINER call that sets who
 * acts itself (one round trip), and what a student reads of its classroom. The join and the token
 * check, which every student request makes, run on Jdbi's fluent API with these statements and
 * hand mappers ({@link #JOIN}, {@link #AUTHENTICATE}): attaching a SqlObject per call cost the join
 * burst a quarter of its throughput (JoinBench).
 */
public interface StudentSessionDao {

    /** {@code app.join_classroom}: the join in one round trip. */
    String JOIN = """
            SELECT outcome, student_session_id, classroom_name, classroom_grade_level, session_expires_at, retry_after_seconds
              FROM app.join_classroom(:code, :hash, CAST(:demographics AS jsonb), CAST(:lifetime AS interval),
                                      CAST(:ip AS inet), :request, :limit)""";

    /** {@code app.set_student_context}: an ended or unknown session is SQLSTATE 28000. */
    String AUTHENTICATE = "SELECT student_session_id, classroom_id, session_expires_at FROM app.set_student_context(:hash, :request)";

    /** A row of {@code app.join_classroom}. */
    record JoinRow(String outcome, UUID sessionId, String classroomName, int gradeLevel, OffsetDateTime expiresAt, int retryAfterSeconds) {
    }

    /** Maps {@link JoinRow} by position. */
    final class JoinRowMapper implements RowMapper<JoinRow> {
        /** Stateless: one for all. */
        public static final JoinRowMapper INSTANCE = new JoinRowMapper();

        @Override
        public JoinRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new JoinRow(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4),
                    rs.getObject(5, OffsetDateTime.class), rs.getInt(6));
        }
    }

    /** Maps an {@link AuthenticatedStudent} by position. */
    final class StudentMapper implements RowMapper<AuthenticatedStudent> {
        /** Stateless: one for all. */
        public static final StudentMapper INSTANCE = new StudentMapper();

        @Override
        public AuthenticatedStudent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new AuthenticatedStudent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    rs.getObject(3, OffsetDateTime.class).toInstant());
        }
    }

    /** The student's classroom, while the session is live. */
    record Room(String name, int gradeLevel) {
    }

    @SqlQuery("""
            SELECT c.name, c.grade_level
              FROM student_sessions s JOIN classrooms c ON c.id = s.classroom_id
             WHERE s.id = :id AND s.ended_at IS NULL AND s.expires_at > now()""")
    Optional<Room> liveRoom(@Bind("id") UUID session);

    /** The lesson open in a classroom. */
    record OpenSession(UUID sessionId, int lessonNumber, Instant startedAt, UUID lessonId) {
    }

    @SqlQuery("""
            SELECT s.id AS session_id, l.lesson_number, s.started_at, s.lesson_id
              FROM classroom_sessions s JOIN lessons l ON l.id = s.lesson_id
             WHERE s.classroom_id = :classroom AND s.ended_at IS NULL""")
    Optional<OpenSession> openSession(@Bind("classroom") UUID classroom);

    @SqlQuery("""
            SELECT lesson_content_id AS content_id, CASE WHEN bool_or(status = 'completed') THEN 'completed' ELSE 'started' END AS status
              FROM student_progress WHERE student_session_id = :me AND lesson_id = :lesson
             GROUP BY lesson_content_id ORDER BY lesson_content_id""")
    @RegisterRowMapper(ItemProgressMapper.class)
    List<StudentProfile.ItemProgress> progress(@Bind("me") UUID session, @Bind("lesson") UUID lesson);

    /** Maps a content item's progress by position. */
    final class ItemProgressMapper implements RowMapper<StudentProfile.ItemProgress> {
        @Override
        public StudentProfile.ItemProgress map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StudentProfile.ItemProgress(rs.getObject(1, UUID.class), rs.getString(2));
        }
    }
}
