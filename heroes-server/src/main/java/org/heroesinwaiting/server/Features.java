package org.heroesinwaiting.server;

import java.util.List;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.server.activity.ActivityController;
import org.heroesinwaiting.server.analytics.AnalyticsController;
import org.heroesinwaiting.server.activity.ReportController;
import org.heroesinwaiting.server.activity.SessionController;
import org.heroesinwaiting.server.admin.AdminController;
import org.heroesinwaiting.server.auth.AuthController;
import org.heroesinwaiting.server.backup.BackupController;
import org.heroesinwaiting.server.backup.RecoveryController;
import org.heroesinwaiting.server.classroom.ClassroomController;
import org.heroesinwaiting.server.classroom.StudentController;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.curriculum.CurriculumCache;
import org.heroesinwaiting.server.curriculum.CurriculumController;
import org.heroesinwaiting.retention.BackupTasks;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.RecoveryWorker;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.server.http.ClientAddresses;
import org.heroesinwaiting.server.retention.RetentionController;
import org.heroesinwaiting.server.http.Controller;

/** Every feature's endpoints, each built the same way from the library's ports. */
final class Features {

    private Features() {
    }

    /**
     * @param heroes the library
     * @param analytics where the analytics endpoints read: a replica, or the library's database
     * @param config the configuration
     * @param clients who the client is, behind trusted proxies
     * @return the controllers of every feature of the API
     */
    static List<Controller> of(Heroes heroes, AnalyticsReader analytics, ServerConfig config, ClientAddresses clients) {
        long maxBody = config.http().maxBodyBytes();
        return List.of(
                new AuthController(heroes.accounts(), clients, config.auth().openRegistration().orElse(config.embeddedDatabase()), maxBody),
                new AdminController(heroes.administration(), maxBody),
                new ClassroomController(heroes.classrooms(), maxBody),
                new StudentController(heroes.students(), clients, maxBody),
                new CurriculumController(new CurriculumCache(heroes.curriculum(), config.content().baseUrl(), heroes.clock()),
                        heroes.curriculum(), HeroesServer.contentDir(config), maxBody),
                new SessionController(heroes.classroomSessions(), maxBody),
                new ActivityController(heroes.activity(), maxBody),
                new ReportController(heroes.reports()),
                new RetentionController(heroes.port(RetentionService.class), maxBody),
                new AnalyticsController(analytics),
                new BackupController(new BackupCatalog(heroes.transactions()), heroes.findPort(BackupTasks.class), maxBody),
                new RecoveryController(heroes.findPort(RecoveryRequests.class), heroes.findPort(RecoveryWorker.class)));
    }
}
