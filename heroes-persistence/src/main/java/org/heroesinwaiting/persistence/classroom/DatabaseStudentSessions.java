package org.heroesinwaiting.persistence.classroom;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.SecretTokens;
import org.heroesinwaiting.core.auth.ThrottledException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.ClassroomFullException;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.InactiveJoinCodeException;
import org.heroesinwaiting.core.classroom.JoinCode;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.MalformedJoinCodeException;
import org.heroesinwaiting.core.classroom.StudentProfile;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.core.classroom.UnknownJoinCodeException;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * {@link StudentSessions} on the database. A join is one call of {@code app.join_classroom}, which
 * locks the classroom's row while it counts live seats and inserts, so capacity is exact under
 * any concurrency, and counts failed guesses per salted address hash. A student request's token is
 * one call of {@code app.set_student_context}. The database's clock decides every time here: when a
 * session starts and ends, and whether it is live (README, "Time").
 */
public final class DatabaseStudentSessions implements StudentSessions {

    /** Failed joins one address may make in a 10-minute window before it waits for the next. */
    public static final int DEFAULT_FAILURE_LIMIT = 30;

    private final TransactionRunner transactions;
    private final Duration tokenLifetime;
    private final int failureLimit;

    /**
     * @param transactions on the application login
     * @param tokenLifetime how long a student token lasts ({@code HEROES_STUDENT_TOKEN_TTL})
     */
    public DatabaseStudentSessions(TransactionRunner transactions, Duration tokenLifetime) {
        this(transactions, tokenLifetime, DEFAULT_FAILURE_LIMIT);
    }

    /**
     * @param transactions on the application login
     * @param tokenLifetime how long a student token lasts
     * @param failureLimit failed joins per address and 10 minutes before it is throttled
     */
    public DatabaseStudentSessions(TransactionRunner transactions, Duration tokenLifetime, int failureLimit) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.tokenLifetime = requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("a student token must last a positive time, not " + tokenLifetime);
        }
        if (failureLimit < 1) {
            throw new IllegalArgumentException("failureLimit must be at least 1, not " + failureLimit);
        }
        this.failureLimit = failureLimit;
    }

    @Override
    public JoinedStudent join(String typedCode, Demographics demographics, InetAddress clientAddress, String requestId) {
        requireNonNull(demographics, "demographics");
        String code = JoinCode.parse(typedCode).map(JoinCode::value).orElse(null);
        String token = SecretTokens.generate();
        JoinRow row = transactions.selfContained(handle -> handle.createQuery("""
                SELECT outcome, student_session_id, classroom_name, classroom_grade_level, session_expires_at, retry_after_seconds
                  FROM app.join_classroom(:code, :hash, CAST(:demographics AS jsonb), CAST(:lifetime AS interval),
                                          CAST(:ip AS inet), :request, :limit)""")
                .bind("code", code).bind("hash", SecretTokens.sha256(token))
                .bind("demographics", "{\"age_range\": \"" + demographics.ageRange() + "\", \"grade_level\": " + demographics.gradeLevel() + "}")
                .bind("lifetime", tokenLifetime.toSeconds() + " seconds")
                .bind("ip", clientAddress == null ? null : clientAddress.getHostAddress())
                .bind("request", requestId).bind("limit", failureLimit)
                .map((rs, ctx) -> new JoinRow(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4),
                        rs.getObject(5, OffsetDateTime.class), rs.getInt(6)))
                .one());
        return switch (row.outcome()) {
            case "joined" -> new JoinedStudent(row.sessionId(), token, row.expiresAt().toInstant(), row.classroomName(), row.gradeLevel());
            case "throttled" -> throw new ThrottledException(Duration.ofSeconds(row.retryAfterSeconds()));
            case "malformed" -> throw new MalformedJoinCodeException();
            case "unknown" -> throw new UnknownJoinCodeException();
            case "inactive" -> throw new InactiveJoinCodeException();
            case "full" -> throw new ClassroomFullException();
            default -> throw new IllegalStateException("app.join_classroom answered " + row.outcome());
        };
    }

    private record JoinRow(String outcome, UUID sessionId, String classroomName, int gradeLevel, OffsetDateTime expiresAt,
            int retryAfterSeconds) {
    }

    @Override
    public AuthenticatedStudent authenticate(String token, String requestId) {
        if (token == null || token.length() != 43 || !token.chars().allMatch(DatabaseStudentSessions::isBase64Url)) {
            throw new InvalidTokenException("not a student token");
        }
        // an ended or unknown session is SQLSTATE 28000, which arrives as InvalidTokenException
        return transactions.selfContained(handle -> handle.createQuery("""
                SELECT student_session_id, classroom_id, session_expires_at FROM app.set_student_context(:hash, :request)""")
                .bind("hash", SecretTokens.sha256(token)).bind("request", requestId)
                .map((rs, ctx) -> new AuthenticatedStudent(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, OffsetDateTime.class).toInstant()))
                .one());
    }

    @Override
    public StudentProfile profile(AuthenticatedStudent student) {
        return transactions.inTransaction(ActorContext.student(student.sessionId(), null), handle -> {
            Map.Entry<String, Integer> room = handle.createQuery("""
                    SELECT c.name, c.grade_level
                      FROM student_sessions s JOIN classrooms c ON c.id = s.classroom_id
                     WHERE s.id = :id AND s.ended_at IS NULL AND s.expires_at > now()""")
                    .bind("id", student.sessionId())
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getInt(2))).findOne()
                    .orElseThrow(() -> new InvalidTokenException("the student session has ended"));
            StudentProfile.OpenLesson open = handle.createQuery("""
                    SELECT s.id, l.lesson_number, s.started_at, s.lesson_id
                      FROM classroom_sessions s JOIN lessons l ON l.id = s.lesson_id
                     WHERE s.classroom_id = :classroom AND s.ended_at IS NULL""")
                    .bind("classroom", student.classroomId())
                    .map((rs, ctx) -> new OpenRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            rs.getObject(4, UUID.class)))
                    .findOne()
                    .map(row -> new StudentProfile.OpenLesson(row.sessionId(), row.lessonNumber(), row.startedAt(), handle.createQuery("""
                            SELECT lesson_content_id, CASE WHEN bool_or(status = 'completed') THEN 'completed' ELSE 'started' END
                              FROM student_progress WHERE student_session_id = :me AND lesson_id = :lesson
                             GROUP BY lesson_content_id ORDER BY lesson_content_id""")
                            .bind("me", student.sessionId()).bind("lesson", row.lessonId())
                            .map((rs, ctx) -> new StudentProfile.ItemProgress(rs.getObject(1, UUID.class), rs.getString(2))).list()))
                    .orElse(null);
            return new StudentProfile(room.getKey(), room.getValue(), student.expiresAt(), open);
        });
    }

    private record OpenRow(UUID sessionId, int lessonNumber, Instant startedAt, UUID lessonId) {
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
