package org.heroesinwaiting.server.support;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.auth.DatabaseFacilitatorAccounts;
import org.heroesinwaiting.persistence.classroom.DatabaseClassrooms;
import org.heroesinwaiting.persistence.classroom.DatabaseStudentSessions;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.ServerServices;

/** The HTTP app with real accounts, classrooms and student sessions on a test database. */
public final class ClassroomApps {

    private ClassroomApps() {
    }

    /**
     * @param app the application login
     * @param clock what counts as now
     * @return classrooms as the server builds them
     */
    public static DatabaseClassrooms classrooms(DataSource app, Clock clock) {
        return new DatabaseClassrooms(new TransactionRunner(HeroesJdbi.create(app)), clock);
    }

    /**
     * @param app the application login
     * @return student sessions as the server builds them (8-hour tokens, the default guess limit)
     */
    public static DatabaseStudentSessions students(DataSource app) {
        return new DatabaseStudentSessions(new TransactionRunner(HeroesJdbi.create(app)), Duration.ofHours(8));
    }

    /**
     * @param environment configuration over the defaults
     * @param accounts the accounts
     * @param classrooms the classrooms
     * @param students the student sessions
     * @return an unstarted app with the production routes of these services
     */
    public static Javalin app(Map<String, String> environment, DatabaseFacilitatorAccounts accounts, DatabaseClassrooms classrooms,
            DatabaseStudentSessions students) {
        return app(environment, accounts, classrooms, students, null);
    }

    /**
     * @param environment configuration over the defaults
     * @param accounts the accounts
     * @param classrooms the classrooms
     * @param students the student sessions
     * @param curriculum the curriculum, or {@code null}
     * @return an unstarted app with the production routes of these services (and the admin allow-list's defaults)
     */
    public static Javalin app(Map<String, String> environment, DatabaseFacilitatorAccounts accounts, DatabaseClassrooms classrooms,
            DatabaseStudentSessions students, org.heroesinwaiting.core.curriculum.Curriculum curriculum) {
        return HeroesServer.create(TestApps.config(environment), new ServerServices(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(), List.of(), accounts, null, classrooms, students, curriculum));
    }
}
