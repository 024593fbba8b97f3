package org.heroesinwaiting.server.archfixture.persistence;

import org.flywaydb.core.Flyway;

/** A deliberate violation: Flyway belongs to sql only. */
public class UsesFlyway {
    public Object configure() {
        return Flyway.configure();
    }
}
