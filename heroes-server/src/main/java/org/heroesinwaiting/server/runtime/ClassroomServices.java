package org.heroesinwaiting.server.runtime;

import java.time.Clock;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.DatabaseClassrooms;
import org.heroesinwaiting.persistence.classroom.DatabaseStudentSessions;
import org.heroesinwaiting.server.config.ServerConfig;

/**
 * Classrooms and students' sessions, built from the configuration.
 *
 * @param classrooms facilitators' classrooms
 * @param students students' joins and tokens
 */
public record ClassroomServices(DatabaseClassrooms classrooms, DatabaseStudentSessions students) {

    /**
     * @param config the configuration (the student token's lifetime)
     * @param app the application login
     * @param clock what counts as now
     * @return both services
     */
    public static ClassroomServices create(ServerConfig config, DataSource app, Clock clock) {
        TransactionRunner transactions = new TransactionRunner(HeroesJdbi.create(app));
        return new ClassroomServices(new DatabaseClassrooms(transactions, clock),
                new DatabaseStudentSessions(transactions, config.auth().studentTokenTtl()));
    }
}
