package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.backup.BackupHealth;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthCheck;

/**
 * {@code backup} in {@code GET /health}: DEGRADED when the last restore drill failed, or when the
 * newest full backup has gone more than a week without a verification that passed (the weekly
 * drill is not happening, or keeps failing).
 */
public final class BackupCheck implements HealthCheck {

    /** How long the newest full backup may stay unverified. */
    static final Duration UNVERIFIED_FOR = Duration.ofDays(7);

    private final BackupCatalog catalog;

    /** @param catalog the backup catalog */
    public BackupCheck(BackupCatalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog");
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public CheckResult check() {
        BackupHealth health = catalog.health();
        if (health.lastDrill().isPresent() && health.lastDrill().get().status().equals("failed")) {
            BackupHealth.Drill drill = health.lastDrill().get();
            return CheckResult.degraded("the last restore drill, of backup " + drill.backupId() + ", failed: "
                    + drill.error().orElse("see recovery_log") + "; ./heroes backup verify " + drill.backupId() + " says where");
        }
        if (health.newestFull().isEmpty()) {
            return CheckResult.up("no full backup yet");
        }
        BackupHealth.Newest newest = health.newestFull().get();
        boolean verified = newest.verification().filter("passed"::equals).isPresent();
        if (!verified && newest.age().compareTo(UNVERIFIED_FOR) > 0) {
            return CheckResult.degraded("the newest full backup (" + newest.id() + ", " + newest.finishedAt() + ") has gone more than a week"
                    + " without a restore drill that passed: ./heroes backup verify " + newest.id());
        }
        return CheckResult.up("newest full backup " + newest.id() + " finished " + newest.finishedAt()
                + (verified ? ", verified " + newest.verifiedAt().map(Object::toString).orElse("") : ", not verified yet"));
    }
}
