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
            return handle.attach(ClassroomReportDao.class).progress(classroomId).stream()
                    .map(row -> new LessonProgress(row.lessonNumber(), row.started(), row.completed(),
                            row.started() == 0 ? null : (double) row.completed() / row.started()))
                    .toList();
        });
    }

    @Override
    public List<LessonFeedback> feedback(AuthenticatedFacilitator who, UUID classroomId) {
        return transactions.inTransaction(who.actor(), handle -> {
            handle.attach(ClassroomDao.class).requireVisible(classroomId);
            // (lesson, kind, name, value) counts, and with value NULL each (lesson, kind, name)'s totals
            Map<Integer, Map<String, Tally>> byLesson = new TreeMap<>();
            handle.attach(ClassroomReportDao.class).feedback(classroomId)
                    .forEach(row -> {
                        Tally tally = byLesson.computeIfAbsent(row.lessonNumber(), n -> new HashMap<>())
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
