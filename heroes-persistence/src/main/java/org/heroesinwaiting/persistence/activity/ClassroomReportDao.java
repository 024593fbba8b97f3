package org.heroesinwaiting.persistence.activity;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** A classroom's progress and feedback in aggregate, as the facilitator (row level security). */
public interface ClassroomReportDao {

    /** Per lesson: students who started it, and who completed every live item. */
    record LessonCounts(int lessonNumber, int started, int completed) {
    }

    @SqlQuery("""
            WITH items AS (
                SELECT lesson_id, count(*) AS live FROM lesson_content WHERE retired_at IS NULL GROUP BY lesson_id),
            per_student AS (
                SELECT p.lesson_id, p.student_session_id,
                       count(DISTINCT p.lesson_content_id) FILTER (WHERE p.status = 'completed') AS done
                  FROM student_progress p
                 WHERE p.classroom_id = :classroom
                 GROUP BY p.lesson_id, p.student_session_id)
            SELECT l.lesson_number, count(s.student_session_id)::integer AS started,
                   (count(s.student_session_id) FILTER (WHERE s.done >= coalesce(i.live, 0) AND s.done > 0))::integer AS completed
              FROM lessons l
              LEFT JOIN per_student s ON s.lesson_id = l.id
              LEFT JOIN items i ON i.lesson_id = l.id
             GROUP BY l.lesson_number
             ORDER BY l.lesson_number""")
    List<LessonCounts> progress(@Bind("classroom") UUID classroom);

    /** A (lesson, kind, name, value) count, or with {@code total} each (lesson, kind, name)'s totals. */
    record FeedbackCount(int lessonNumber, String kind, String name, String value, boolean total, int responses, int students) {
    }

    @SqlQuery("""
            SELECT l.lesson_number, x.kind, x.name, x.value, GROUPING(x.value) = 1 AS total,
                   count(*)::integer AS responses, count(DISTINCT f.student_session_id)::integer AS students
              FROM student_feedback f
              JOIN lessons l ON l.id = f.lesson_id
             CROSS JOIN LATERAL (
                   SELECT 'rating' AS kind, '' AS name, f.rating::text AS value
                   UNION ALL SELECT 'mood', '', f.mood
                   UNION ALL SELECT 'question', a.key, a.value FROM jsonb_each_text(f.answers) a) x
             WHERE f.classroom_id = :classroom
             GROUP BY GROUPING SETS ((l.lesson_number, x.kind, x.name, x.value), (l.lesson_number, x.kind, x.name))""")
    List<FeedbackCount> feedback(@Bind("classroom") UUID classroom);
}
