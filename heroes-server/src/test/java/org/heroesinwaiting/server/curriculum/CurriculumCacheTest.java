package org.heroesinwaiting.server.curriculum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two server instances on one database: an import on one shows on the other within the poll interval, not before. */
class CurriculumCacheTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void anImportElsewhereShowsAfterThePollIntervalAndOnlyThen(DataSource app) {
        MutableClock clock = MutableClock.startingNow();
        DatabaseCurriculum here = new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(app)), clock);
        DatabaseCurriculum elsewhere = new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(app)), clock);
        elsewhere.importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
        CurriculumCache cache = new CurriculumCache(here, Optional.empty(), clock);
        CurriculumCache.Rendered first = cache.current();

        elsewhere.importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest(
                (number, lesson) -> number == 1 ? lesson.add("title", "Renamed") : lesson)));
        clock.advance(CurriculumCache.POLL.minusMillis(1));
        CurriculumCache.Rendered stale = cache.current();
        clock.advance(java.time.Duration.ofMillis(1));
        CurriculumCache.Rendered fresh = cache.current();

        assertThat(first.revision()).isEqualTo(1);
        assertThat(stale).as("within the poll interval: the same rendering, no query").isSameAs(first);
        assertThat(fresh.revision()).isEqualTo(2);
        assertThat(new String(fresh.lesson().get(1).json(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"title\":\"Renamed\"");
        assertThat(fresh.lesson().get(1).etag()).isNotEqualTo(first.lesson().get(1).etag());
        assertThat(fresh.lesson().get(2).etag()).as("an unchanged lesson keeps its ETag").isEqualTo(first.lesson().get(2).etag());
        assertThat(cache.current()).isSameAs(fresh);
    }
}
