package org.heroesinwaiting.examples.host;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.persistence.PooledDataSources;

/** The README's embedding example, kept compiling and running here: the lines between the markers are copied there. */
public final class Embedding {

    private Embedding() {
    }

    /**
     * @param url the database, {@code jdbc:postgresql://host:port/heroes_in_waiting}
     * @param password heroes_app's password
     * @param keyring the keys tokens are signed with
     * @return the new facilitator's id
     */
    public static UUID registerAFacilitator(String url, String password, JwtKeyring keyring) {
        // README-EMBEDDING-START
        try (var app = PooledDataSources.forApplication(DatabaseSettings.of(url, "heroes_app", password));
                Heroes heroes = Heroes.create(HeroesSettings.of(keyring), app, Clock.systemUTC())) {
            UUID id = heroes.accounts().register(
                    new NewFacilitator("rivera@school.example", "correct horse battery staple", "Ms Rivera", "facilitator"),
                    ClientInfo.unknown());
            heroes.jobs().find("expire-sessions").orElseThrow().run(); // or schedule heroes.jobs() yourself
            return id;
        }
        // README-EMBEDDING-END
    }

    /**
     * A host's own statement on the library's Jdbi, as an actor, so row level security and the
     * audit trail see who acts.
     *
     * @param heroes the library
     * @param facilitatorId who acts
     * @return that facilitator's classrooms' names
     */
    public static List<String> classroomNames(Heroes heroes, UUID facilitatorId) {
        // LIBRARY-OWN-STATEMENT-START
        List<String> names = heroes.transactions().inTransaction(ActorContext.facilitator(facilitatorId, "request-1", null),
                handle -> handle.createQuery("SELECT name FROM classrooms ORDER BY created_at").mapTo(String.class).list());
        // LIBRARY-OWN-STATEMENT-END
        return names;
    }
}
