package org.heroesinwaiting.persistence.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.curriculum.CurriculumManifest;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Fixtures;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The curriculum import as the server runs it: as heroes_app, as the system or an admin. */
class DatabaseCurriculumTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final ActorContext SYSTEM = ActorContext.system(null);

    private final MutableClock clock = MutableClock.startingNow();
    private DatabaseCurriculum curriculum;
    private Jdbi owner;

    @BeforeEach
    void create(DataSource app, @Owner Jdbi ownerJdbi) {
        curriculum = new DatabaseCurriculum(Fixtures.transactions(app), clock);
        owner = ownerJdbi;
    }

    private static CurriculumManifest read(byte[] json) {
        return ManifestReader.read(json);
    }

    private int audited() {
        return count("SELECT count(*) FROM audit_log WHERE table_name LIKE 'lesson%'");
    }

    private int count(String sql) {
        return owner.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    @Test
    void aFirstImportWritesTheWholeCurriculumAndASecondChangesNothing() {
        assertThat(curriculum.revision()).isZero();
        assertThat(curriculum.snapshot().lessons()).isEmpty();

        ImportReport first = curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest()));
        int auditedAfterFirst = audited();
        ImportReport second = curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest()));

        assertThat(first.changed()).isTrue();
        assertThat(first.lessonsChanged()).isEqualTo(12);
        assertThat(first.contentChanged()).isEqualTo(24);
        assertThat(first.revision()).isEqualTo(1);
        assertThat(second.changed()).isFalse();
        assertThat(second.revision()).isEqualTo(1);
        assertThat(audited()).as("nothing written, nothing audited").isEqualTo(auditedAfterFirst);
        CurriculumSnapshot snapshot = curriculum.snapshot();
        assertThat(snapshot.revision()).isEqualTo(1);
        assertThat(snapshot.curriculumVersion()).isEqualTo("test-1");
        assertThat(snapshot.lessons()).hasSize(12);
        assertThat(snapshot.lesson(3).orElseThrow().content()).extracting(CurriculumSnapshot.Content::key).containsExactly("video", "handout");
        assertThat(snapshot.lesson(3).orElseThrow().questions().get(0).options()).containsExactly("yes", "no");
        assertThat(curriculum.media(CurriculumFixtures.HANDOUT_SHA256).orElseThrow().mimeType()).isEqualTo("text/plain");
    }

    @Test
    void aChangedManifestUpdatesInPlaceWithStableIds() {
        curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest()));
        CurriculumSnapshot before = curriculum.snapshot();

        ImportReport changed = curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest((number, lesson) -> number == 3
                ? lesson.add("title", "Being an upstander")
                        .add("questions", Json.createArrayBuilder().add(Json.createObjectBuilder().add("id", "will-help")
                                .add("prompt", "Will you help?").add("options", Json.createArrayBuilder().add("yes").add("maybe"))))
                : lesson)));
        CurriculumSnapshot after = curriculum.snapshot();

        assertThat(changed.lessonsChanged()).isEqualTo(1);
        assertThat(changed.contentChanged()).isZero();
        assertThat(changed.questionsChanged()).isEqualTo(2); // one added, one removed
        assertThat(after.revision()).isEqualTo(2);
        assertThat(after.lesson(3).orElseThrow().title()).isEqualTo("Being an upstander");
        assertThat(after.lesson(3).orElseThrow().id()).isEqualTo(before.lesson(3).orElseThrow().id());
        assertThat(after.lesson(3).orElseThrow().content().get(1).id()).isEqualTo(before.lesson(3).orElseThrow().content().get(1).id());
        assertThat(after.lesson(3).orElseThrow().questions()).extracting(CurriculumSnapshot.Question::id).containsExactly("will-help");
    }

    @Test
    void aRemovedItemIsDeletedUnlessProgressRefersToItThenRetired() {
        curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest()));
        UUID inUse = curriculum.snapshot().lesson(1).orElseThrow().content().get(1).id();
        UUID unused = curriculum.snapshot().lesson(2).orElseThrow().content().get(1).id();
        owner.useHandle(h -> {
            UUID facilitator = h.createQuery("""
                    INSERT INTO facilitators (email, password_hash, display_name) VALUES ('p@school.example', repeat('x', 40), 'P') RETURNING id""")
                    .mapTo(UUID.class).one();
            UUID room = h.createQuery("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'Room', 'ABCDEFGH', 5) RETURNING id""")
                    .bind("f", facilitator).mapTo(UUID.class).one();
            UUID session = h.createQuery("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at)
                    VALUES (:room, sha256('t'::bytea), '{"age_range": "8-9", "grade_level": 4}', now() + interval '1 hour') RETURNING id""")
                    .bind("room", room).mapTo(UUID.class).one();
            h.createUpdate("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at, idempotency_key)
                    SELECT :session, :room, lesson_id, id, 'started', now(), 'k1' FROM lesson_content WHERE id = :content""")
                    .bind("session", session).bind("room", room).bind("content", inUse).execute();
        });

        ImportReport report = curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest((number, lesson) -> number <= 2
                ? lesson.add("content", Json.createArrayBuilder().add(CurriculumFixtures.video(number)))
                : lesson)));

        assertThat(report.contentRetired()).isEqualTo(1);
        assertThat(report.contentRemoved()).isEqualTo(1);
        assertThat(curriculum.snapshot().lesson(1).orElseThrow().content()).hasSize(1);
        Instant retiredAt = owner.withHandle(h -> h.createQuery("SELECT retired_at FROM lesson_content WHERE id = :id").bind("id", inUse)
                .mapTo(Instant.class).one());
        assertThat(retiredAt).isEqualTo(clock.instant());
        assertThat(count("SELECT count(*) FROM lesson_content WHERE id = '" + unused + "'")).isZero();

        curriculum.importManifest(SYSTEM, read(CurriculumFixtures.manifest()));
        assertThat(curriculum.snapshot().lesson(1).orElseThrow().content().get(1).id()).as("back in the file: un-retired, same id")
                .isEqualTo(inUse);
    }

    @Test
    void onlyAnAdminOrTheSystemImportsAndTheDatabaseAgrees() {
        CurriculumManifest manifest = read(CurriculumFixtures.manifest());
        assertThatThrownBy(() -> curriculum.importManifest(ActorContext.facilitator(UUID.randomUUID(), null, null), manifest))
                .isInstanceOf(IllegalArgumentException.class);
        curriculum.importManifest(SYSTEM, manifest);
        assertThat(count("SELECT count(*) FROM lessons")).isEqualTo(12);
    }
}
