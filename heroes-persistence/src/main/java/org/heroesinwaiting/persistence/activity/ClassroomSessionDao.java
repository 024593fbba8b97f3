package org.heroesinwaiting.persistence.activity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.activity.ClassroomSession;
import org.heroesinwaiting.core.activity.LessonNotFoundException;
import org.heroesinwaiting.core.activity.LessonNote;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Lessons taught in a classroom, and a facilitator's notes on lessons; run as the facilitator (row level security). */
public interface ClassroomSessionDao {

    /** A session with its lesson's number. */
    String SELECT = """
            SELECT s.id, s.classroom_id, l.lesson_number, s.started_at, s.ended_at
              FROM classroom_sessions s JOIN lessons l ON l.id = s.lesson_id
            """;

    @SqlQuery("SELECT id FROM lessons WHERE lesson_number = :number")
    Optional<UUID> findLesson(@Bind("number") int lessonNumber);

    /**
     * @param lessonNumber 1 to 12
     * @return the lesson's id
     * @throws LessonNotFoundException when there is none
     */
    default UUID lessonId(int lessonNumber) {
        return findLesson(lessonNumber).orElseThrow(() -> new LessonNotFoundException(lessonNumber));
    }

    /** @return whether the classroom is archived; empty when the actor may not see it */
    @SqlQuery("SELECT archived_at IS NOT NULL FROM classrooms WHERE id = :id")
    Optional<Boolean> archived(@Bind("id") UUID classroom);

    /** A second open session of the classroom is a unique violation (the partial index). */
    @SqlQuery("INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at) VALUES (:classroom, :lesson, :now) RETURNING id")
    UUID start(@Bind("classroom") UUID classroom, @Bind("lesson") UUID lesson, @Bind("now") Instant now);

    @SqlUpdate("UPDATE classroom_sessions SET ended_at = :now WHERE id = :id AND classroom_id = :classroom AND ended_at IS NULL")
    int end(@Bind("classroom") UUID classroom, @Bind("id") UUID session, @Bind("now") Instant now);

    @SqlQuery(SELECT + " WHERE s.id = :id AND s.classroom_id = :classroom")
    Optional<ClassroomSession> find(@Bind("classroom") UUID classroom, @Bind("id") UUID session);

    @SqlQuery(SELECT + """
             WHERE s.classroom_id = :classroom
               AND (CAST(:at AS timestamptz) IS NULL OR (s.started_at, s.id) < (CAST(:at AS timestamptz), CAST(:after AS uuid)))
             ORDER BY s.started_at DESC, s.id DESC LIMIT :limit""")
    List<ClassroomSession> listBefore(@Bind("classroom") UUID classroom, @Bind("at") Instant at, @Bind("after") UUID after,
            @Bind("limit") int limit);

    @SqlQuery("""
            INSERT INTO facilitator_feedback (facilitator_id, lesson_id, classroom_id, notes, created_at, updated_at)
            VALUES (:facilitator, :lesson, :classroom, :notes, :now, :now)
            RETURNING id, CAST(:number AS integer) AS lesson_number, classroom_id, notes, created_at""")
    LessonNote addNote(@Bind("facilitator") UUID facilitator, @Bind("lesson") UUID lesson, @Bind("number") int lessonNumber,
            @Bind("classroom") UUID classroom, @Bind("notes") String notes, @Bind("now") Instant now);

    @SqlQuery("""
            SELECT id, CAST(:number AS integer) AS lesson_number, classroom_id, notes, created_at FROM facilitator_feedback
             WHERE facilitator_id = :facilitator AND lesson_id = :lesson ORDER BY created_at DESC, id DESC""")
    List<LessonNote> notes(@Bind("facilitator") UUID facilitator, @Bind("lesson") UUID lesson, @Bind("number") int lessonNumber);
}
