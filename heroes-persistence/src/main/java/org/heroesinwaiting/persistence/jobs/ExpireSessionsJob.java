package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;

/**
 * Ends student and facilitator sessions whose time is up, through the SQL function
 * {@code app.expire_sessions(as_of)} (SECURITY DEFINER: it sees every tenant). On a schema older
 * than that function it reports that it had nothing to do.
 */
public final class ExpireSessionsJob implements Job {

    /** The job's name. */
    public static final String NAME = "expire-sessions";

    private final DataSource dataSource;

    /**
     * @param dataSource the application login
     */
    public ExpireSessionsJob(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Ends student and facilitator sessions past their expiry.";
    }

    @Override
    public String schedule() {
        return "0 */15 * * * ?";
    }

    @Override
    public JobOutcome run(Instant asOf) {
        try (Connection connection = dataSource.getConnection()) {
            if (!functionExists(connection)) {
                return new JobOutcome("nothing to expire: the session tables do not exist yet");
            }
            List<String> counts = new ArrayList<>();
            connection.setAutoCommit(false);
            try (PreparedStatement context = connection.prepareStatement("SELECT app.set_context(NULL, NULL, 'system', NULL, NULL)");
                    PreparedStatement expire = connection.prepareStatement("SELECT kind, expired FROM app.expire_sessions(?)")) {
                context.execute();
                expire.setTimestamp(1, Timestamp.from(asOf));
                try (ResultSet rs = expire.executeQuery()) {
                    while (rs.next()) {
                        counts.add(rs.getLong(2) + " " + rs.getString(1));
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            return new JobOutcome(counts.isEmpty() ? "expired nothing" : "expired " + String.join(", ", counts));
        } catch (SQLException e) {
            throw new HeroesException("expiring sessions failed: " + e.getMessage(), e);
        }
    }

    private static boolean functionExists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT to_regprocedure('app.expire_sessions(timestamptz)') IS NOT NULL");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
