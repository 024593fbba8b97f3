package org.heroesinwaiting.persistence;

import java.time.Clock;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.testkit.CurriculumFixtures;

/** The set-up the persistence tests share, beside {@link Facilitators}: transactions on the application login, the fixture curriculum. */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * @param app the application login
     * @return transactions on it, on a Jdbi configured as the library's
     */
    public static TransactionRunner transactions(DataSource app) {
        return new TransactionRunner(HeroesJdbi.create(app));
    }

    /**
     * @param transactions on the application login
     * @param clock Java's "now"
     * @return the testkit's 12-lesson curriculum, imported
     */
    public static CurriculumSnapshot curriculum(TransactionRunner transactions, Clock clock) {
        DatabaseCurriculum curriculum = new DatabaseCurriculum(transactions, clock);
        curriculum.importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
        return curriculum.snapshot();
    }
}
