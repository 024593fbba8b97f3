package org.heroesinwaiting.persistence.classroom;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.JoinCode;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.classroom.StudentSummary;
import org.heroesinwaiting.persistence.KeysetCursor;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Handle;

/**
 * {@link Classrooms} on the database. Every statement runs as the facilitator (or admin) asking,
 * so row level security decides what exists: another facilitator's classroom is simply not found.
 */
public final class DatabaseClassrooms implements Classrooms {

    /** Codes tried before giving up; with 31^8 codes a second try is already rare. */
    private static final int CODE_ATTEMPTS = 10;

    private static final String SELECT = """
            SELECT c.id, c.name, c.grade_level, c.max_students, c.classroom_code, c.join_enabled, c.code_expires_at, c.archived_at,
                   (SELECT count(*) FROM student_sessions s
                     WHERE s.classroom_id = c.id AND s.ended_at IS NULL AND s.expires_at > now())::integer AS student_count,
                   c.created_at
              FROM classrooms c
            """;

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock when a classroom was created or archived; whether a student session is live is
     *     the database's clock (README, "Time")
     */
    public DatabaseClassrooms(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Classroom create(AuthenticatedFacilitator who, NewClassroom classroom) {
        return transactions.inTransaction(who.actor(), handle -> {
            for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
                Optional<UUID> id = handle.createQuery("""
                        INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level, max_students, created_at, updated_at)
                        VALUES (:facilitator, :name, :code, :grade, :seats, :now, :now)
                        ON CONFLICT (classroom_code) DO NOTHING
                        RETURNING id""")
                        .bind("facilitator", who.facilitatorId()).bind("name", classroom.name())
                        .bind("code", JoinCode.generate().value()).bind("grade", classroom.gradeLevel())
                        .bind("seats", classroom.maxStudents()).bind("now", clock.instant())
                        .mapTo(UUID.class).findOne();
                if (id.isPresent()) {
                    return fetch(handle, id.get());
                }
            }
            throw new IllegalStateException("no free join code after " + CODE_ATTEMPTS + " tries; the code space is crowded");
        });
    }

    @Override
    public Page<Classroom> list(AuthenticatedFacilitator who, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<Classroom> rows = transactions.inTransaction(who.actor(), handle -> handle.createQuery(SELECT + """
                 WHERE (CAST(:at AS timestamptz) IS NULL OR (c.created_at, c.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
                 ORDER BY c.created_at DESC, c.id DESC LIMIT :limit""")
                .bind("at", before == null ? null : before.at())
                .bind("id", before == null ? null : before.id()).bind("limit", limit + 1)
                .mapTo(Classroom.class).list());
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.createdAt(), row.id()));
    }

    @Override
    public Optional<Classroom> find(AuthenticatedFacilitator who, UUID id) {
        return transactions.inTransaction(who.actor(), handle -> find(handle, id));
    }

    @Override
    public Classroom update(AuthenticatedFacilitator who, UUID id, ClassroomChanges changes) {
        return transactions.inTransaction(who.actor(), handle -> {
            int updated = handle.createUpdate("""
                    UPDATE classrooms
                       SET name = coalesce(:name, name),
                           grade_level = coalesce(:grade, grade_level),
                           max_students = coalesce(:seats, max_students),
                           join_enabled = coalesce(:joinEnabled, join_enabled),
                           code_expires_at = CASE WHEN :setExpiry THEN CAST(:expiry AS timestamptz) ELSE code_expires_at END
                     WHERE id = :id""")
                    .bind("name", changes.name()).bind("grade", changes.gradeLevel()).bind("seats", changes.maxStudents())
                    .bind("joinEnabled", changes.joinEnabled()).bind("setExpiry", changes.codeExpiresAt() != null)
                    .bind("expiry", changes.codeExpiresAt() == null ? null : changes.codeExpiresAt().orElse(null))
                    .bind("id", id).execute();
            if (updated == 0) {
                throw new ClassroomNotFoundException(id);
            }
            return fetch(handle, id);
        });
    }

    @Override
    public void archive(AuthenticatedFacilitator who, UUID id) {
        transactions.useTransaction(who.actor(), handle -> {
            int updated = handle.createUpdate("""
                    UPDATE classrooms SET archived_at = coalesce(archived_at, :now), join_enabled = false WHERE id = :id""")
                    .bind("now", clock.instant()).bind("id", id).execute();
            if (updated == 0) {
                throw new ClassroomNotFoundException(id);
            }
        });
    }

    @Override
    public Classroom regenerateCode(AuthenticatedFacilitator who, UUID id) {
        return transactions.inTransaction(who.actor(), handle -> {
            VisibleClassrooms.require(handle, id);
            for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
                // a code another classroom holds (the lookup sees across tenants) is skipped
                int updated = handle.createUpdate("""
                        UPDATE classrooms SET classroom_code = :code
                         WHERE id = :id AND NOT EXISTS (SELECT 1 FROM app.find_classroom_by_code(:code))""")
                        .bind("code", JoinCode.generate().value()).bind("id", id).execute();
                if (updated == 1) {
                    return fetch(handle, id);
                }
            }
            throw new IllegalStateException("no free join code after " + CODE_ATTEMPTS + " tries; the code space is crowded");
        });
    }

    @Override
    public Page<StudentSummary> students(AuthenticatedFacilitator who, UUID id, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<StudentSummary> rows = transactions.inTransaction(who.actor(), handle -> {
            VisibleClassrooms.require(handle, id);
            return handle.createQuery("""
                    SELECT id, demographic_data ->> 'age_range' AS age_range, (demographic_data ->> 'grade_level')::integer AS grade_level,
                           created_at AS joined_at, last_seen_at, expires_at,
                           CASE WHEN ended_at IS NOT NULL AND ended_at < expires_at THEN 'ended'
                                WHEN ended_at IS NOT NULL OR expires_at <= now() THEN 'expired'
                                ELSE 'active' END AS status
                      FROM student_sessions
                     WHERE classroom_id = :id
                       AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:after AS uuid)))
                     ORDER BY created_at DESC, id DESC LIMIT :limit""")
                    .bind("id", id).bind("at", before == null ? null : before.at())
                    .bind("after", before == null ? null : before.id()).bind("limit", limit + 1)
                    .mapTo(StudentSummary.class).list();
        });
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.joinedAt(), row.id()));
    }

    @Override
    public boolean endStudentSession(AuthenticatedFacilitator who, UUID classroomId, UUID studentSessionId) {
        return transactions.inTransaction(who.actor(), handle -> {
            VisibleClassrooms.require(handle, classroomId);
            return handle.createUpdate("""
                    UPDATE student_sessions SET ended_at = now()
                     WHERE id = :session AND classroom_id = :classroom AND ended_at IS NULL AND expires_at > now()""")
                    .bind("session", studentSessionId).bind("classroom", classroomId).execute() == 1;
        });
    }

    private Optional<Classroom> find(Handle handle, UUID id) {
        return handle.createQuery(SELECT + " WHERE c.id = :id").bind("id", id)
                .mapTo(Classroom.class).findOne();
    }

    private Classroom fetch(Handle handle, UUID id) {
        return find(handle, id).orElseThrow(() -> new ClassroomNotFoundException(id));
    }
}
