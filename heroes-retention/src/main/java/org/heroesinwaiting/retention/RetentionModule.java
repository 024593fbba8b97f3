package org.heroesinwaiting.retention;

import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesModule;

/**
 * Adds retention to the composition root: the {@link RetentionService} port and the daily
 * {@link RetentionJob}. Found through {@link java.util.ServiceLoader} when this jar is on the class
 * path, so {@code heroes.port(RetentionService.class)} needs no wiring.
 */
public final class RetentionModule implements HeroesModule {

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public void install(Heroes heroes, Contributions into) {
        RetentionService retention = RetentionService.of(heroes);
        into.port(RetentionService.class, retention);
        into.job(new RetentionJob(retention));
    }
}
