package org.heroesinwaiting.persistence.classroom;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.JoinCode;
import org.heroesinwaiting.core.classroom.StudentSummary;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The classroom aggregate's statements. Every statement runs as the actor of the transaction it is
 * attached in ({@code handle.attach(ClassroomDao.class)} inside the {@code TransactionRunner}), so
 * row level security decides what exists. Rows map to records by their columns' names.
 */
public interface ClassroomDao {

    /** Codes tried before giving up; with 31^8 codes a second try is already rare. */
    int CODE_ATTEMPTS = 10;

    /** A classroom with its live students counted on the database's clock. */
    String SELECT = """
            SELECT c.id, c.name, c.grade_level, c.max_students, c.classroom_code, c.join_enabled, c.code_expires_at, c.archived_at,
                   (SELECT count(*) FROM student_sessions s
                     WHERE s.classroom_id = c.id AND s.ended_at IS NULL AND s.expires_at > now())::integer AS student_count,
                   c.created_at
              FROM classrooms c
            """;

    /**
     * @return the new classroom's id, or empty when the code is taken
     */
    @SqlQuery("""
            INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level, max_students, created_at, updated_at)
            VALUES (:facilitator, :name, :code, :grade, :seats, :now, :now)
            ON CONFLICT (classroom_code) DO NOTHING
            RETURNING id""")
    Optional<UUID> insert(@Bind("facilitator") UUID facilitator, @Bind("name") String name, @Bind("code") String code,
            @Bind("grade") int grade, @Bind("seats") int seats, @Bind("now") Instant now);

    /**
     * Inserts with a fresh join code, trying another while one is taken.
     *
     * @return the classroom as stored
     */
    @Transaction
    default Classroom create(UUID facilitator, String name, int grade, int seats, Instant now) {
        for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
            Optional<UUID> id = insert(facilitator, name, JoinCode.generate().value(), grade, seats, now);
            if (id.isPresent()) {
                return fetch(id.get());
            }
        }
        throw new IllegalStateException("no free join code after " + CODE_ATTEMPTS + " tries; the code space is crowded");
    }

    @SqlQuery(SELECT + """
             WHERE (CAST(:at AS timestamptz) IS NULL OR (c.created_at, c.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid)))
             ORDER BY c.created_at DESC, c.id DESC LIMIT :limit""")
    List<Classroom> listBefore(@Bind("at") Instant at, @Bind("id") UUID id, @Bind("limit") int limit);

    @SqlQuery(SELECT + " WHERE c.id = :id")
    Optional<Classroom> find(@Bind("id") UUID id);

    /**
     * @param id a classroom
     * @return it
     * @throws ClassroomNotFoundException when the actor may not see it
     */
    default Classroom fetch(UUID id) {
        return find(id).orElseThrow(() -> new ClassroomNotFoundException(id));
    }

    /**
     * @param id a classroom
     * @throws ClassroomNotFoundException when the actor may not see it (or it does not exist: the two are one)
     */
    default void requireVisible(UUID id) {
        if (!visible(id)) {
            throw new ClassroomNotFoundException(id);
        }
    }

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM classrooms WHERE id = :id)")
    boolean visible(@Bind("id") UUID id);

    /** {@code setExpiry} false keeps the code's expiry; true sets it to {@code expiry}, which may be null. */
    @SqlUpdate("""
            UPDATE classrooms
               SET name = coalesce(:name, name),
                   grade_level = coalesce(:grade, grade_level),
                   max_students = coalesce(:seats, max_students),
                   join_enabled = coalesce(:joinEnabled, join_enabled),
                   code_expires_at = CASE WHEN :setExpiry THEN CAST(:expiry AS timestamptz) ELSE code_expires_at END
             WHERE id = :id""")
    int update(@Bind("id") UUID id, @Bind("name") String name, @Bind("grade") Integer grade, @Bind("seats") Integer seats,
            @Bind("joinEnabled") Boolean joinEnabled, @Bind("setExpiry") boolean setExpiry, @Bind("expiry") Instant expiry);

    @SqlUpdate("UPDATE classrooms SET archived_at = coalesce(archived_at, :now), join_enabled = false WHERE id = :id")
    int archive(@Bind("id") UUID id, @Bind("now") Instant now);

    /** A code another classroom holds (the lookup sees across tenants) is not taken: 0 rows. */
    @SqlUpdate("""
            UPDATE classrooms SET classroom_code = :code
             WHERE id = :id AND NOT EXISTS (SELECT 1 FROM app.find_classroom_by_code(:code))""")
    int changeCode(@Bind("id") UUID id, @Bind("code") String code);

    /**
     * @param id a visible classroom
     * @return it with a fresh code
     */
    @Transaction
    default Classroom regenerateCode(UUID id) {
        requireVisible(id);
        for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
            if (changeCode(id, JoinCode.generate().value()) == 1) {
                return fetch(id);
            }
        }
        throw new IllegalStateException("no free join code after " + CODE_ATTEMPTS + " tries; the code space is crowded");
    }

    @SqlQuery("""
            SELECT id, demographic_data ->> 'age_range' AS age_range, (demographic_data ->> 'grade_level')::integer AS grade_level,
                   created_at AS joined_at, last_seen_at, expires_at,
                   CASE WHEN ended_at IS NOT NULL AND ended_at < expires_at THEN 'ended'
                        WHEN ended_at IS NOT NULL OR expires_at <= now() THEN 'expired'
                        ELSE 'active' END AS status
              FROM student_sessions
             WHERE classroom_id = :id
               AND (CAST(:at AS timestamptz) IS NULL OR (created_at, id) < (CAST(:at AS timestamptz), CAST(:after AS uuid)))
             ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<StudentSummary> students(@Bind("id") UUID classroom, @Bind("at") Instant at, @Bind("after") UUID after, @Bind("limit") int limit);

    @SqlUpdate("""
            UPDATE student_sessions SET ended_at = now()
             WHERE id = :session AND classroom_id = :classroom AND ended_at IS NULL AND expires_at > now()""")
    int endStudentSession(@Bind("classroom") UUID classroom, @Bind("session") UUID session);
}
