package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;

/**
 * Creates the coming months' {@code audit_log} partitions ({@code app.ensure_audit_partitions}),
 * and moves whatever waits in the default partition into its month's. Runs monthly; running it more
 * often is harmless. Without it audited writes still succeed: their rows wait in the default
 * partition, and {@code /health} says so.
 */
public final class AuditPartitionsJob implements Job {

    /** The job's name. */
    public static final String NAME = "audit-partitions";

    /** How many months past the current one always have their partition. */
    public static final int MONTHS_AHEAD = 3;

    private final DataSource dataSource;

    /**
     * @param dataSource the application login
     */
    public AuditPartitionsJob(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Creates the audit log's partitions for this month and the next " + MONTHS_AHEAD + ".";
    }

    @Override
    public String schedule() {
        return "0 30 2 1 * ?";
    }

    @Override
    public JobOutcome run() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT app.ensure_audit_partitions(?)")) {
            statement.setInt(1, MONTHS_AHEAD);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                int created = rs.getInt(1);
                return new JobOutcome(created == 0 ? "every partition through " + MONTHS_AHEAD + " months ahead exists"
                        : "created " + created + " partition" + (created == 1 ? "" : "s"));
            }
        } catch (SQLException e) {
            throw new HeroesException("creating audit partitions failed: " + e.getMessage(), e);
        }
    }
}
