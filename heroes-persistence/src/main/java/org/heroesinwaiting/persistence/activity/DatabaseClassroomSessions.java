package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.activity.ClassroomArchivedException;
import org.heroesinwaiting.core.activity.ClassroomSession;
import org.heroesinwaiting.core.activity.ClassroomSessions;
import org.heroesinwaiting.core.activity.LessonNotFoundException;
import org.heroesinwaiting.core.activity.LessonNote;
import org.heroesinwaiting.core.activity.SessionAlreadyOpenException;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.persistence.KeysetCursor;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.ClassroomDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link ClassroomSessions} on the database, as the facilitator: row level security decides which
 * classrooms exist, and the partial unique index {@code classroom_sessions_one_open_per_classroom}
 * keeps one open session per classroom however many start at once.
 */
public final class DatabaseClassroomSessions implements ClassroomSessions {

    private static final String SELECT = """
            SELECT s.id, s.classroom_id, l.lesson_number, s.started_at, s.ended_at
              FROM classroom_sessions s JOIN lessons l ON l.id = s.lesson_id
            """;
    private static final RowMapper<ClassroomSession> SESSION = (rs, ctx) -> new ClassroomSession(rs.getObject(1, UUID.class),
            rs.getObject(2, UUID.class), rs.getInt(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
            Optional.ofNullable(rs.getObject(5, OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null));

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock what counts as now
     */
    public DatabaseClassroomSessions(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public ClassroomSession start(AuthenticatedFacilitator who, UUID classroomId, int lessonNumber) {
        try {
            return transactions.inTransaction(who.actor(), handle -> {
                boolean archived = handle.createQuery("SELECT archived_at IS NOT NULL FROM classrooms WHERE id = :id")
                        .bind("id", classroomId).mapTo(Boolean.class).findOne()
                        .orElseThrow(() -> new ClassroomNotFoundException(classroomId));
                if (archived) {
                    throw new ClassroomArchivedException(classroomId);
                }
                UUID lessonId = lessonId(handle, lessonNumber);
                UUID id = handle.createQuery("""
                        INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at) VALUES (:classroom, :lesson, :now) RETURNING id""")
                        .bind("classroom", classroomId).bind("lesson", lessonId).bind("now", clock.instant()).mapTo(UUID.class).one();
                return handle.createQuery(SELECT + " WHERE s.id = :id").bind("id", id).map(SESSION).one();
            });
        } catch (DuplicateException e) {
            throw new SessionAlreadyOpenException(classroomId);
        }
    }

    @Override
    public ClassroomSession end(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId) {
        return transactions.inTransaction(who.actor(), handle -> {
            handle.createUpdate("UPDATE classroom_sessions SET ended_at = :now WHERE id = :id AND classroom_id = :classroom AND ended_at IS NULL")
                    .bind("now", clock.instant()).bind("id", sessionId).bind("classroom", classroomId).execute();
            return handle.createQuery(SELECT + " WHERE s.id = :id AND s.classroom_id = :classroom")
                    .bind("id", sessionId).bind("classroom", classroomId).map(SESSION).findOne()
                    .orElseThrow(() -> new ClassroomNotFoundException(classroomId));
        });
    }

    @Override
    public Optional<ClassroomSession> find(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId) {
        return transactions.inTransaction(who.actor(), handle -> handle.createQuery(SELECT + " WHERE s.id = :id AND s.classroom_id = :classroom")
                .bind("id", sessionId).bind("classroom", classroomId).map(SESSION).findOne());
    }

    @Override
    public Page<ClassroomSession> list(AuthenticatedFacilitator who, UUID classroomId, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<ClassroomSession> rows = transactions.inTransaction(who.actor(), handle -> {
            handle.attach(ClassroomDao.class).requireVisible(classroomId);
            return handle.createQuery(SELECT + """
                     WHERE s.classroom_id = :classroom
                       AND (CAST(:at AS timestamptz) IS NULL OR (s.started_at, s.id) < (CAST(:at AS timestamptz), CAST(:after AS uuid)))
                     ORDER BY s.started_at DESC, s.id DESC LIMIT :limit""")
                    .bind("classroom", classroomId).bind("at", before == null ? null : before.at())
                    .bind("after", before == null ? null : before.id()).bind("limit", limit + 1).map(SESSION).list();
        });
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.startedAt(), row.id()));
    }

    @Override
    public LessonNote addNote(AuthenticatedFacilitator who, int lessonNumber, UUID classroomId, String notes) {
        requireNonNull(notes, "notes");
        if (notes.isBlank() || notes.strip().length() > 8000) {
            throw new IllegalArgumentException("notes must have 1 to 8000 characters");
        }
        return transactions.inTransaction(who.actor(), handle -> {
            UUID lessonId = lessonId(handle, lessonNumber);
            if (classroomId != null) {
                handle.attach(ClassroomDao.class).requireVisible(classroomId);
            }
            return handle.createQuery("""
                    INSERT INTO facilitator_feedback (facilitator_id, lesson_id, classroom_id, notes, created_at, updated_at)
                    VALUES (:facilitator, :lesson, :classroom, :notes, :now, :now)
                    RETURNING id, :number, classroom_id, notes, created_at""")
                    .bind("facilitator", who.facilitatorId()).bind("lesson", lessonId).bind("classroom", classroomId)
                    .bind("notes", notes.strip()).bind("now", clock.instant()).bind("number", lessonNumber)
                    .map((rs, ctx) -> new LessonNote(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant()))
                    .one();
        });
    }

    @Override
    public List<LessonNote> notes(AuthenticatedFacilitator who, int lessonNumber) {
        return transactions.inTransaction(who.actor(), handle -> {
            UUID lessonId = lessonId(handle, lessonNumber);
            // own notes only, also for an admin: these are a facilitator's private notes
            return handle.createQuery("""
                    SELECT id, classroom_id, notes, created_at FROM facilitator_feedback
                     WHERE facilitator_id = :facilitator AND lesson_id = :lesson ORDER BY created_at DESC, id DESC""")
                    .bind("facilitator", who.facilitatorId()).bind("lesson", lessonId)
                    .map((rs, ctx) -> new LessonNote(rs.getObject(1, UUID.class), lessonNumber, rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant()))
                    .list();
        });
    }

    private static UUID lessonId(Handle handle, int lessonNumber) {
        return handle.createQuery("SELECT id FROM lessons WHERE lesson_number = :number").bind("number", lessonNumber)
                .mapTo(UUID.class).findOne().orElseThrow(() -> new LessonNotFoundException(lessonNumber));
    }
}
