package org.heroesinwaiting.persistence.classroom;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
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
        String demographicsJson = "{\"age_range\": \"" + demographics.ageRange() + "\", \"grade_level\": " + demographics.gradeLevel() + "}";
        // Jdbi's fluent API, not the DAO: attaching a SqlObject per join cost the join burst a quarter of
        // its throughput (JoinBench 0.54 -> 0.41 in alternating runs)
        StudentSessionDao.JoinRow row = transactions.selfContained(handle -> handle.createQuery(StudentSessionDao.JOIN)
                .bind("code", code).bind("hash", SecretTokens.sha256(token)).bind("demographics", demographicsJson)
                .bind("lifetime", tokenLifetime.toSeconds() + " seconds")
                .bind("ip", clientAddress == null ? null : clientAddress.getHostAddress())
                .bind("request", requestId).bind("limit", failureLimit)
                .map(StudentSessionDao.JoinRowMapper.INSTANCE).one());
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

    @Override
    public AuthenticatedStudent authenticate(String token, String requestId) {
        if (token == null || token.length() != 43 || !token.chars().allMatch(DatabaseStudentSessions::isBase64Url)) {
            throw new InvalidTokenException("not a student token");
        }
        // an ended or unknown session is SQLSTATE 28000, which arrives as InvalidTokenException
        // the fluent API, as the join: every student request runs it
        return transactions.selfContained(handle -> handle.createQuery(StudentSessionDao.AUTHENTICATE)
                .bind("hash", SecretTokens.sha256(token)).bind("request", requestId)
                .map(StudentSessionDao.StudentMapper.INSTANCE).one());
    }

    @Override
    public StudentProfile profile(AuthenticatedStudent student) {
        return transactions.inTransaction(ActorContext.student(student.sessionId(), null), handle -> {
            StudentSessionDao sessions = handle.attach(StudentSessionDao.class);
            StudentSessionDao.Room room = sessions.liveRoom(student.sessionId())
                    .orElseThrow(() -> new InvalidTokenException("the student session has ended"));
            StudentProfile.OpenLesson open = sessions.openSession(student.classroomId())
                    .map(row -> new StudentProfile.OpenLesson(row.sessionId(), row.lessonNumber(), row.startedAt(),
                            sessions.progress(student.sessionId(), row.lessonId())))
                    .orElse(null);
            return new StudentProfile(room.name(), room.gradeLevel(), student.expiresAt(), open);
        });
    }

    private static boolean isBase64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
