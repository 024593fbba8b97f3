package org.heroesinwaiting.persistence.curriculum;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.curriculum.Curriculum.MediaFile;
import org.heroesinwaiting.core.curriculum.CurriculumManifest;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The curriculum's statements: the import's upserts (each changes a row only when a value
 * differs, so its count says what changed) and the reads of a snapshot.
 */
public interface CurriculumDao {

    /** The imported manifest's hash and the revision. */
    record State(String manifestSha256, long revision) {
    }

    /** Imports wait for one another; readers do not wait. */
    @SqlUpdate("LOCK TABLE curriculum_state IN SHARE ROW EXCLUSIVE MODE")
    void lockState();

    @SqlQuery("SELECT manifest_sha256, revision FROM curriculum_state")
    Optional<State> state();

    @SqlUpdate("""
            INSERT INTO curriculum_state (curriculum_version, manifest_sha256, revision, imported_at)
            VALUES (:version, :sha, :revision, :now)
            ON CONFLICT (singleton) DO UPDATE
               SET curriculum_version = EXCLUDED.curriculum_version, manifest_sha256 = EXCLUDED.manifest_sha256,
                   revision = EXCLUDED.revision, imported_at = EXCLUDED.imported_at""")
    void saveState(@Bind("version") String version, @Bind("sha") String sha256, @Bind("revision") long revision, @Bind("now") Instant now);

    /** @return the lesson's id when it was inserted or changed, empty when it was as given */
    @SqlQuery("""
            INSERT INTO lessons AS l (lesson_number, title, description, objectives, duration_minutes)
            VALUES (:number, :title, :description, CAST(:objectives AS jsonb), :duration)
            ON CONFLICT (lesson_number) DO UPDATE
               SET title = EXCLUDED.title, description = EXCLUDED.description, objectives = EXCLUDED.objectives,
                   duration_minutes = EXCLUDED.duration_minutes
             WHERE (l.title, l.description, l.objectives, l.duration_minutes)
                   IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.objectives, EXCLUDED.duration_minutes)
            RETURNING id""")
    Optional<UUID> upsertLesson(@Bind("number") int number, @Bind("title") String title, @Bind("description") String description,
            @Bind("objectives") String objectivesJson, @Bind("duration") int durationMinutes);

    @SqlQuery("SELECT id FROM lessons WHERE lesson_number = :number")
    UUID lessonId(@Bind("number") int number);

    /** @return 1 when the item was inserted or changed (a retired one comes back), 0 when it was as given */
    @SqlUpdate("""
            INSERT INTO lesson_content AS c (lesson_id, content_key, content_type, title, order_index, file_path, streaming_url,
                                             mime_type, size_bytes, sha256, offline_available)
            VALUES (:lesson, :c.key, :c.contentType, :c.title, :c.order, :c.file, :c.streamingUrl, :c.mimeType, :c.sizeBytes, :c.sha256,
                    :c.offline)
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
    int upsertContent(@Bind("lesson") UUID lesson, @BindMethods("c") CurriculumManifest.Content item);

    @SqlQuery("SELECT id FROM lesson_content WHERE lesson_id = :lesson AND retired_at IS NULL AND content_key <> ALL (:keys)")
    List<UUID> liveContentNotIn(@Bind("lesson") UUID lesson, @Bind("keys") String[] keys);

    /** @return those of the items that progress refers to ({@code app.lesson_content_in_use}, across tenants) */
    @SqlQuery("SELECT * FROM app.lesson_content_in_use(:ids)")
    List<UUID> inUse(@Bind("ids") UUID[] ids);

    @SqlUpdate("UPDATE lesson_content SET retired_at = :now WHERE id = ANY (:ids)")
    int retire(@Bind("ids") UUID[] ids, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM lesson_content WHERE id = ANY (:ids)")
    int delete(@Bind("ids") UUID[] ids);

    /** @return 1 when the question was inserted or changed */
    @SqlUpdate("""
            INSERT INTO lesson_questions AS q (lesson_id, question_key, prompt, options, order_index)
            VALUES (:lesson, :key, :prompt, CAST(:options AS jsonb), :order)
            ON CONFLICT (lesson_id, question_key) DO UPDATE
               SET prompt = EXCLUDED.prompt, options = EXCLUDED.options, order_index = EXCLUDED.order_index
             WHERE (q.prompt, q.options, q.order_index) IS DISTINCT FROM (EXCLUDED.prompt, EXCLUDED.options, EXCLUDED.order_index)""")
    int upsertQuestion(@Bind("lesson") UUID lesson, @Bind("key") String key, @Bind("prompt") String prompt,
            @Bind("options") String optionsJson, @Bind("order") int order);

    @SqlUpdate("DELETE FROM lesson_questions WHERE lesson_id = :lesson AND question_key <> ALL (:keys)")
    int deleteQuestionsNotIn(@Bind("lesson") UUID lesson, @Bind("keys") String[] keys);

    /** The revision and the curriculum's version. */
    record Version(long revision, String curriculumVersion) {
    }

    @SqlQuery("SELECT revision, curriculum_version FROM curriculum_state")
    Optional<Version> version();

    @SqlQuery("SELECT revision FROM curriculum_state")
    Optional<Long> revision();

    /** A live content item with its lesson. */
    record ContentRow(UUID lessonId, UUID id, String contentKey, String contentType, String title, int orderIndex, String filePath,
            String streamingUrl, String mimeType, Long sizeBytes, String sha256, boolean offlineAvailable, Instant updatedAt) {

        /** @return the snapshot's item */
        public CurriculumSnapshot.Content content() {
            return new CurriculumSnapshot.Content(id, contentKey, contentType, title, orderIndex, filePath, streamingUrl, mimeType,
                    sizeBytes, sha256, offlineAvailable, updatedAt);
        }
    }

    @SqlQuery("""
            SELECT lesson_id, id, content_key, content_type, title, order_index, file_path, streaming_url, mime_type, size_bytes,
                   sha256, offline_available, updated_at
              FROM lesson_content WHERE retired_at IS NULL ORDER BY lesson_id, order_index, content_key""")
    List<ContentRow> liveContent();

    /** A question with its lesson; its options as a JSON array. */
    record QuestionRow(UUID lessonId, String questionKey, String prompt, String options) {
    }

    @SqlQuery("SELECT lesson_id, question_key, prompt, options::text AS options FROM lesson_questions ORDER BY lesson_id, order_index")
    List<QuestionRow> questions();

    /** A lesson; its objectives as a JSON array. */
    record LessonRow(UUID id, int lessonNumber, String title, String description, String objectives, int durationMinutes,
            Instant updatedAt) {
    }

    @SqlQuery("""
            SELECT id, lesson_number, title, description, objectives::text AS objectives, duration_minutes, updated_at
              FROM lessons ORDER BY lesson_number""")
    List<LessonRow> lessons();

    @SqlQuery("""
            SELECT file_path AS path, mime_type, size_bytes FROM lesson_content
             WHERE sha256 = :sha AND file_path IS NOT NULL AND retired_at IS NULL LIMIT 1""")
    Optional<MediaFile> media(@Bind("sha") String sha256);
}
