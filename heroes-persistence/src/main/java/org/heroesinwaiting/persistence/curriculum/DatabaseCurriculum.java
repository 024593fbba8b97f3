package org.heroesinwaiting.persistence.curriculum;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.time.Clock;
import java.time.OffsetDateTime;
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
import org.jdbi.v3.core.Handle;

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
            handle.execute("LOCK TABLE curriculum_state IN SHARE ROW EXCLUSIVE MODE");
            Optional<State> state = handle.createQuery("SELECT manifest_sha256, revision FROM curriculum_state")
                    .map((rs, ctx) -> new State(rs.getString(1), rs.getLong(2))).findOne();
            if (state.isPresent() && state.get().sha256().equals(manifest.sha256())) {
                return new ImportReport(state.get().revision(), false, 0, 0, 0, 0, 0);
            }
            Counts counts = new Counts();
            for (CurriculumManifest.Lesson lesson : manifest.lessons()) {
                UUID lessonId = upsertLesson(handle, lesson, counts);
                applyContent(handle, lessonId, lesson.content(), counts, clock);
                applyQuestions(handle, lessonId, lesson.questions(), counts);
            }
            long revision = state.map(State::revision).orElse(0L) + 1;
            handle.createUpdate("""
                    INSERT INTO curriculum_state (curriculum_version, manifest_sha256, revision, imported_at)
                    VALUES (:version, :sha, :revision, :now)
                    ON CONFLICT (singleton) DO UPDATE
                       SET curriculum_version = EXCLUDED.curriculum_version, manifest_sha256 = EXCLUDED.manifest_sha256,
                           revision = EXCLUDED.revision, imported_at = EXCLUDED.imported_at""")
                    .bind("version", manifest.curriculumVersion()).bind("sha", manifest.sha256()).bind("revision", revision)
                    .bind("now", clock.instant()).execute();
            return new ImportReport(revision, true, counts.lessons, counts.content, counts.removed, counts.retired, counts.questions);
        });
    }

    private record State(String sha256, long revision) {
    }

    private static final class Counts {
        int lessons;
        int content;
        int removed;
        int retired;
        int questions;
    }

    private static UUID upsertLesson(Handle handle, CurriculumManifest.Lesson lesson, Counts counts) {
        Optional<UUID> written = handle.createQuery("""
                INSERT INTO lessons AS l (lesson_number, title, description, objectives, duration_minutes)
                VALUES (:number, :title, :description, CAST(:objectives AS jsonb), :duration)
                ON CONFLICT (lesson_number) DO UPDATE
                   SET title = EXCLUDED.title, description = EXCLUDED.description, objectives = EXCLUDED.objectives,
                       duration_minutes = EXCLUDED.duration_minutes
                 WHERE (l.title, l.description, l.objectives, l.duration_minutes)
                       IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.objectives, EXCLUDED.duration_minutes)
                RETURNING id""")
                .bind("number", lesson.number()).bind("title", lesson.title()).bind("description", lesson.description())
                .bind("objectives", jsonArray(lesson.objectives())).bind("duration", lesson.durationMinutes())
                .mapTo(UUID.class).findOne();
        if (written.isPresent()) {
            counts.lessons++;
            return written.get();
        }
        return handle.createQuery("SELECT id FROM lessons WHERE lesson_number = :number").bind("number", lesson.number())
                .mapTo(UUID.class).one();
    }

    private static void applyContent(Handle handle, UUID lessonId, List<CurriculumManifest.Content> items, Counts counts, Clock clock) {
        List<String> keys = new ArrayList<>();
        for (CurriculumManifest.Content item : items) {
            keys.add(item.key());
            counts.content += handle.createUpdate("""
                    INSERT INTO lesson_content AS c (lesson_id, content_key, content_type, title, order_index, file_path, streaming_url,
                                                     mime_type, size_bytes, sha256, offline_available)
                    VALUES (:lesson, :key, :type, :title, :order, :file, :url, :mime, :size, :sha, :offline)
                    ON CONFLICT (lesson_id, content_key) DO UPDATE
                       SET content_type = EXCLUDED.content_type, title = EXCLUDED.title, order_index = EXCLUDED.order_index,
                           file_path = EXCLUDED.file_path, streaming_url = EXCLUDED.streaming_url, mime_type = EXCLUDED.mime_type,
                           size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256,
                           offline_available = EXCLUDED.offline_available, retired_at = NULL
                     WHERE (c.content_type, c.title, c.order_index, c.file_path, c.streaming_url, c.mime_type, c.size_bytes, c.sha256,
                            c.offline_available, c.retired_at)
                           IS DISTINCT FROM (EXCLUDED.content_type, EXCLUDED.title, EXCLUDED.order_index, EXCLUDED.file_path,
                            EXCLUDED.streaming_url, EXCLUDED.mime_type, EXCLUDED.size_bytes, EXCLUDED.sha256,
                            EXCLUDED.offline_available, NULL::timestamptz)""")
                    .bind("lesson", lessonId).bind("key", item.key()).bind("type", item.contentType()).bind("title", item.title())
                    .bind("order", item.order()).bind("file", item.file()).bind("url", item.streamingUrl()).bind("mime", item.mimeType())
                    .bind("size", item.sizeBytes()).bind("sha", item.sha256()).bind("offline", item.offline()).execute();
        }
        List<UUID> gone = handle.createQuery("""
                SELECT id FROM lesson_content WHERE lesson_id = :lesson AND retired_at IS NULL AND content_key <> ALL (:keys)""")
                .bind("lesson", lessonId).bindArray("keys", String.class, keys).mapTo(UUID.class).list();
        if (gone.isEmpty()) {
            return;
        }
        List<UUID> inUse = handle.createQuery("SELECT * FROM app.lesson_content_in_use(:ids)")
                .bindArray("ids", UUID.class, gone).mapTo(UUID.class).list();
        counts.retired += inUse.isEmpty() ? 0 : handle.createUpdate("UPDATE lesson_content SET retired_at = :now WHERE id = ANY (:ids)")
                .bind("now", clock.instant()).bindArray("ids", UUID.class, inUse).execute();
        List<UUID> unused = gone.stream().filter(id -> !inUse.contains(id)).toList();
        counts.removed += unused.isEmpty() ? 0 : handle.createUpdate("DELETE FROM lesson_content WHERE id = ANY (:ids)")
                .bindArray("ids", UUID.class, unused).execute();
    }

    private static void applyQuestions(Handle handle, UUID lessonId, List<CurriculumManifest.Question> questions, Counts counts) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            CurriculumManifest.Question question = questions.get(i);
            ids.add(question.id());
            counts.questions += handle.createUpdate("""
                    INSERT INTO lesson_questions AS q (lesson_id, question_key, prompt, options, order_index)
                    VALUES (:lesson, :key, :prompt, CAST(:options AS jsonb), :order)
                    ON CONFLICT (lesson_id, question_key) DO UPDATE
                       SET prompt = EXCLUDED.prompt, options = EXCLUDED.options, order_index = EXCLUDED.order_index
                     WHERE (q.prompt, q.options, q.order_index) IS DISTINCT FROM (EXCLUDED.prompt, EXCLUDED.options, EXCLUDED.order_index)""")
                    .bind("lesson", lessonId).bind("key", question.id()).bind("prompt", question.prompt())
                    .bind("options", jsonArray(question.options())).bind("order", i).execute();
        }
        counts.questions += handle.createUpdate("DELETE FROM lesson_questions WHERE lesson_id = :lesson AND question_key <> ALL (:keys)")
                .bind("lesson", lessonId).bindArray("keys", String.class, ids).execute();
    }

    @Override
    public CurriculumSnapshot snapshot() {
        return transactions.inTransaction(ActorContext.system(null), handle -> {
            Optional<Map.Entry<Long, String>> state = handle.createQuery("SELECT revision, curriculum_version FROM curriculum_state")
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).findOne();
            Map<UUID, List<CurriculumSnapshot.Content>> content = new HashMap<>();
            handle.createQuery("""
                    SELECT id, lesson_id, content_key, content_type, title, order_index, file_path, streaming_url, mime_type, size_bytes,
                           sha256, offline_available, updated_at
                      FROM lesson_content WHERE retired_at IS NULL ORDER BY lesson_id, order_index, content_key""")
                    .map((rs, ctx) -> Map.entry(rs.getObject(2, UUID.class), new CurriculumSnapshot.Content(rs.getObject(1, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            (Long) rs.getObject(10), rs.getString(11), rs.getBoolean(12), rs.getObject(13, OffsetDateTime.class).toInstant())))
                    .forEach(entry -> content.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
            Map<UUID, List<CurriculumSnapshot.Question>> questions = new HashMap<>();
            handle.createQuery("SELECT lesson_id, question_key, prompt, options::text FROM lesson_questions ORDER BY lesson_id, order_index")
                    .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class),
                            new CurriculumSnapshot.Question(rs.getString(2), rs.getString(3), strings(rs.getString(4)))))
                    .forEach(entry -> questions.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
            List<CurriculumSnapshot.Lesson> lessons = handle.createQuery("""
                    SELECT id, lesson_number, title, description, objectives::text, duration_minutes, updated_at
                      FROM lessons ORDER BY lesson_number""")
                    .map((rs, ctx) -> {
                        UUID id = rs.getObject(1, UUID.class);
                        return new CurriculumSnapshot.Lesson(id, rs.getInt(2), rs.getString(3), rs.getString(4), strings(rs.getString(5)),
                                rs.getInt(6), rs.getObject(7, OffsetDateTime.class).toInstant(), content.getOrDefault(id, List.of()),
                                questions.getOrDefault(id, List.of()));
                    })
                    .list();
            return new CurriculumSnapshot(state.map(Map.Entry::getKey).orElse(0L), state.map(Map.Entry::getValue).orElse(null), lessons);
        });
    }

    @Override
    public long revision() {
        return transactions.inTransaction(ActorContext.system(null), handle ->
                handle.createQuery("SELECT revision FROM curriculum_state").mapTo(Long.class).findOne().orElse(0L));
    }

    @Override
    public Optional<MediaFile> media(String sha256) {
        return transactions.inTransaction(ActorContext.system(null), handle -> handle.createQuery("""
                SELECT file_path, mime_type, size_bytes FROM lesson_content
                 WHERE sha256 = :sha AND file_path IS NOT NULL AND retired_at IS NULL LIMIT 1""")
                .bind("sha", sha256)
                .map((rs, ctx) -> new MediaFile(rs.getString(1), rs.getString(2), rs.getLong(3))).findOne());
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
