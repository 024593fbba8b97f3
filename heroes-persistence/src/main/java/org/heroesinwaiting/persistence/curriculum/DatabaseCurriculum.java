package org.heroesinwaiting.persistence.curriculum;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.actor.ActorRole;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.CurriculumManifest;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * {@link Curriculum} on the database. An import runs in one transaction that first locks the
 * curriculum's state row, so two imports never interleave; each row is written only when it
 * differs, so importing the same manifest again writes nothing (and audits nothing).
 */
public final class DatabaseCurriculum implements Curriculum {

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock what counts as now
     */
    public DatabaseCurriculum(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public ImportReport importManifest(ActorContext actor, CurriculumManifest manifest) {
        if (actor.role() != ActorRole.ADMIN && actor.role() != ActorRole.SYSTEM) {
            throw new IllegalArgumentException("only an admin or the system imports the curriculum");
        }
        return transactions.inTransaction(actor, handle -> {
            CurriculumDao dao = handle.attach(CurriculumDao.class);
            dao.lockState();
            Optional<CurriculumDao.State> state = dao.state();
            if (state.isPresent() && state.get().manifestSha256().equals(manifest.sha256())) {
                return new ImportReport(state.get().revision(), false, 0, 0, 0, 0, 0);
            }
            Counts counts = new Counts();
            for (CurriculumManifest.Lesson lesson : manifest.lessons()) {
                UUID lessonId = upsertLesson(dao, lesson, counts);
                applyContent(dao, lessonId, lesson.content(), counts, clock);
                applyQuestions(dao, lessonId, lesson.questions(), counts);
            }
            long revision = state.map(CurriculumDao.State::revision).orElse(0L) + 1;
            dao.saveState(manifest.curriculumVersion(), manifest.sha256(), revision, clock.instant());
            return new ImportReport(revision, true, counts.lessons, counts.content, counts.removed, counts.retired, counts.questions);
        });
    }

    private static final class Counts {
        int lessons;
        int content;
        int removed;
        int retired;
        int questions;
    }

    private static UUID upsertLesson(CurriculumDao dao, CurriculumManifest.Lesson lesson, Counts counts) {
        Optional<UUID> written = dao.upsertLesson(lesson.number(), lesson.title(), lesson.description(), jsonArray(lesson.objectives()),
                lesson.durationMinutes());
        if (written.isPresent()) {
            counts.lessons++;
            return written.get();
        }
        return dao.lessonId(lesson.number());
    }

    private static void applyContent(CurriculumDao dao, UUID lessonId, List<CurriculumManifest.Content> items, Counts counts, Clock clock) {
        List<String> keys = new ArrayList<>();
        for (CurriculumManifest.Content item : items) {
            keys.add(item.key());
            counts.content += dao.upsertContent(lessonId, item);
        }
        List<UUID> gone = dao.liveContentNotIn(lessonId, keys.toArray(String[]::new));
        if (gone.isEmpty()) {
            return;
        }
        List<UUID> inUse = dao.inUse(gone.toArray(UUID[]::new));
        counts.retired += inUse.isEmpty() ? 0 : dao.retire(inUse.toArray(UUID[]::new), clock.instant());
        List<UUID> unused = gone.stream().filter(id -> !inUse.contains(id)).toList();
        counts.removed += unused.isEmpty() ? 0 : dao.delete(unused.toArray(UUID[]::new));
    }

    private static void applyQuestions(CurriculumDao dao, UUID lessonId, List<CurriculumManifest.Question> questions, Counts counts) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            CurriculumManifest.Question question = questions.get(i);
            ids.add(question.id());
            counts.questions += dao.upsertQuestion(lessonId, question.id(), question.prompt(), jsonArray(question.options()), i);
        }
        counts.questions += dao.deleteQuestionsNotIn(lessonId, ids.toArray(String[]::new));
    }

    @Override
    public CurriculumSnapshot snapshot() {
        return transactions.inTransaction(ActorContext.system(null), handle -> {
            CurriculumDao dao = handle.attach(CurriculumDao.class);
            Optional<CurriculumDao.Version> version = dao.version();
            Map<UUID, List<CurriculumSnapshot.Content>> content = new HashMap<>();
            dao.liveContent().forEach(row -> content.computeIfAbsent(row.lessonId(), id -> new ArrayList<>()).add(row.content()));
            Map<UUID, List<CurriculumSnapshot.Question>> questions = new HashMap<>();
            dao.questions().forEach(row -> questions.computeIfAbsent(row.lessonId(), id -> new ArrayList<>())
                    .add(new CurriculumSnapshot.Question(row.questionKey(), row.prompt(), strings(row.options()))));
            List<CurriculumSnapshot.Lesson> lessons = dao.lessons().stream()
                    .map(row -> new CurriculumSnapshot.Lesson(row.id(), row.lessonNumber(), row.title(), row.description(),
                            strings(row.objectives()), row.durationMinutes(), row.updatedAt(), content.getOrDefault(row.id(), List.of()),
                            questions.getOrDefault(row.id(), List.of())))
                    .toList();
            return new CurriculumSnapshot(version.map(CurriculumDao.Version::revision).orElse(0L),
                    version.map(CurriculumDao.Version::curriculumVersion).orElse(null), lessons);
        });
    }

    @Override
    public long revision() {
        return transactions.inTransaction(ActorContext.system(null), handle -> handle.attach(CurriculumDao.class).revision().orElse(0L));
    }

    @Override
    public Optional<MediaFile> media(String sha256) {
        return transactions.inTransaction(ActorContext.system(null), handle -> handle.attach(CurriculumDao.class).media(sha256));
    }

    private static String jsonArray(List<String> values) {
        return Json.createArrayBuilder(values).build().toString();
    }

    private static List<String> strings(String jsonArray) {
        try (var reader = Json.createReader(new java.io.StringReader(jsonArray))) {
            JsonArray array = reader.readArray();
            return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }
}
