package org.heroesinwaiting.server.health;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.sql.HeroesDatabase;

/**
 * Three checks on the application database: that it answers ({@code database}), that its schema
 * is the version this server carries ({@code schema}), and that no audit record waits in the
 * default partition for its month's partition ({@code audit}).
 */
public final class DatabaseCheck {

    private DatabaseCheck() {
    }

    /**
     * @param dataSource the application login
     * @return the {@code database}, {@code schema} and {@code audit} checks
     */
    public static List<HealthCheck> of(DataSource dataSource) {
        requireNonNull(dataSource, "dataSource");
        return List.of(new Reachable(dataSource), new SchemaVersion(dataSource), new AuditPartitions(dataSource));
    }

    /**
     * Audited writes never fail for want of a partition: their rows wait in {@code audit_log_default}
     * until the upkeep moves them. While any wait, the upkeep is not running: DEGRADED.
     */
    static final class AuditPartitions implements HealthCheck {

        private final DataSource dataSource;

        AuditPartitions(DataSource dataSource) {
            this.dataSource = requireNonNull(dataSource, "dataSource");
        }

        @Override
        public String name() {
            return "audit";
        }

        @Override
        public CheckResult check() {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT default_rows, oldest_default_row, last_partitioned_month FROM app.audit_partition_status()")) {
                rs.next();
                long waiting = rs.getLong(1);
                if (waiting > 0) {
                    return CheckResult.degraded(waiting + " audit record" + (waiting == 1 ? "" : "s") + " since "
                            + rs.getObject(2, java.time.OffsetDateTime.class).toInstant()
                            + " wait in audit_log_default for their month's partition: run ./heroes jobs run audit-partitions,"
                            + " or SELECT app.ensure_audit_partitions(); from psql");
                }
                return CheckResult.up("partitions through the month of " + rs.getObject(3, java.time.LocalDate.class));
            } catch (SQLException e) {
                return CheckResult.degraded("cannot read the audit partitions: " + e.getMessage());
            }
        }
    }

    private record Reachable(DataSource dataSource) implements HealthCheck {
        @Override
        public String name() {
            return "database";
        }

        @Override
        public CheckResult check() {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT current_setting('server_version')")) {
                rs.next();
                return CheckResult.up("PostgreSQL " + rs.getString(1) + " answers");
            } catch (SQLException e) {
                return CheckResult.down("unreachable: " + e.getMessage());
            }
        }
    }

    private record SchemaVersion(DataSource dataSource) implements HealthCheck {
        @Override
        public String name() {
            return "schema";
        }

        @Override
        public CheckResult check() {
            List<String> scripts = HeroesDatabase.migrationScripts();
            String last = scripts.get(scripts.size() - 1);
            int expected = Integer.parseInt(last.substring(1, last.indexOf("__")));
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT coalesce(max(version::int), 0) FROM flyway_schema_history WHERE success AND type = 'SQL'")) {
                rs.next();
                int actual = rs.getInt(1);
                if (actual == expected) {
                    return CheckResult.up("version " + actual);
                }
                if (actual < expected) {
                    return CheckResult.down("version " + actual + ", this server needs " + expected + ": run ./heroes migrate");
                }
                return CheckResult.degraded("version " + actual + " is newer than this server's " + expected);
            } catch (SQLException e) {
                return CheckResult.down("cannot read the schema version: " + e.getMessage());
            }
        }
    }
}
