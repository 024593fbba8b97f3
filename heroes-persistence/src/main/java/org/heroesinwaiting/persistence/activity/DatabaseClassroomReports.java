package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.heroesinwaiting.core.activity.Breakdown;
import org.heroesinwaiting.core.activity.ClassroomReports;
import org.heroesinwaiting.core.activity.LessonFeedback;
import org.heroesinwaiting.core.activity.LessonProgress;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.ClassroomDao;

/**
 * {@link ClassroomReports} on the database, as the facilitator (row level security: own classrooms
 * only). Progress reads {@code student_progress} through its (classroom, lesson) index; feedback
 * reads {@code student_feedback} through its (classroom, lesson) index, one row per answer given,
 * with per-thing totals from a grouping set.
 */
public final class DatabaseClassroomReports implements ClassroomReports {

    private final TransactionRunner transactions;

    /** @param transactions on the application login */
    public DatabaseClassroomReports(TransactionRunner transactions) {
        this.transactions = requireNonNull(transactions, "transactions");
    }

    @Override
    public List<LessonProgress> progress(AuthenticatedFacilitator who, UUID classroomId) {
        return transactions.inTransaction(who.actor(), handle -> {
            handle.attach(ClassroomDao.class).requireVisible(classroomId);
            return handle.createQuery("""
                    WITH items AS (
                        SELECT lesson_id, count(*) AS live FROM lesson_content WHERE retired_at IS NULL GROUP BY lesson_id),
                    per_student AS (
                        SELECT p.lesson_id, p.student_session_id,
                               count(DISTINCT p.lesson_content_id) FILTER (WHERE p.status = 'completed') AS done
                          FROM student_progress p
                         WHERE p.classroom_id = :classroom
                         GROUP BY p.lesson_id, p.student_session_id)
                    SELECT l.lesson_number, count(s.student_session_id) AS started,
                           count(s.student_session_id) FILTER (WHERE s.done >= coalesce(i.live, 0) AND s.done > 0) AS completed
                      FROM lessons l
                      LEFT JOIN per_student s ON s.lesson_id = l.id
                      LEFT JOIN items i ON i.lesson_id = l.id
                     GROUP BY l.lesson_number
                     ORDER BY l.lesson_number""")
                    .bind("classroom", classroomId)
                    .map((rs, ctx) -> {
                        int started = rs.getInt(2);
                        int completed = rs.getInt(3);
                        return new LessonProgress(rs.getInt(1), started, completed, started == 0 ? null : (double) completed / started);
                    })
                    .list();
        });
    }

    @Override
    public List<LessonFeedback> feedback(AuthenticatedFacilitator who, UUID classroomId) {
        return transactions.inTransaction(who.actor(), handle -> {
            handle.attach(ClassroomDao.class).requireVisible(classroomId);
            // (lesson, kind, name, value) counts, and with value NULL each (lesson, kind, name)'s totals
            Map<Integer, Map<String, Tally>> byLesson = new TreeMap<>();
            handle.createQuery("""
                    SELECT l.lesson_number, x.kind, x.name, x.value, GROUPING(x.value) = 1 AS total,
                           count(*) AS responses, count(DISTINCT f.student_session_id) AS students
                      FROM student_feedback f
                      JOIN lessons l ON l.id = f.lesson_id
                     CROSS JOIN LATERAL (
                           SELECT 'rating' AS kind, '' AS name, f.rating::text AS value
                           UNION ALL SELECT 'mood', '', f.mood
                           UNION ALL SELECT 'question', a.key, a.value FROM jsonb_each_text(f.answers) a) x
                     WHERE f.classroom_id = :classroom
                     GROUP BY GROUPING SETS ((l.lesson_number, x.kind, x.name, x.value), (l.lesson_number, x.kind, x.name))""")
                    .bind("classroom", classroomId)
                    .map((rs, ctx) -> new Row(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                            rs.getInt(6), rs.getInt(7)))
                    .forEach(row -> {
                        Tally tally = byLesson.computeIfAbsent(row.lesson(), n -> new HashMap<>())
                                .computeIfAbsent(row.kind() + "/" + row.name(), k -> new Tally());
                        if (row.total()) {
                            tally.students = row.students();
                            tally.responses = row.responses();
                        } else {
                            tally.counts.put(row.value(), row.responses());
                        }
                    });
            List<LessonFeedback> lessons = new ArrayList<>();
            byLesson.forEach((lesson, tallies) -> {
                Map<String, Breakdown> questions = new TreeMap<>();
                tallies.forEach((key, tally) -> {
                    if (key.startsWith("question/")) {
                        questions.put(key.substring("question/".length()), tally.breakdown());
                    }
                });
                lessons.add(new LessonFeedback(lesson, tallies.getOrDefault("rating/", new Tally()).breakdown(),
                        tallies.getOrDefault("mood/", new Tally()).breakdown(), questions));
            });
            return lessons;
        });
    }

    private record Row(int lesson, String kind, String name, String value, boolean total, int responses, int students) {
    }

    /** One thing's answers as they are read. */
    private static final class Tally {
        int students;
        int responses;
        final Map<String, Integer> counts = new TreeMap<>();

        Breakdown breakdown() {
            return new Breakdown(students, responses, students >= Breakdown.MINIMUM_STUDENTS ? counts : null);
        }
    }
}
