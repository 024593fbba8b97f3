package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The database's clock, for tests of what the database decides with {@code now()}: whether a
 * session is live, a throttle window, what a job or a retention run finds due. Such a test never
 * moves a Java clock to make something old (the database would not notice); it dates the rows back
 * on the database's clock, keeping their order and their CHECKs ({@code expires_at > created_at}):
 *
 * <pre>{@code
 * JoinedStudent joined = students.join(code, demographics, address, null);
 * DatabaseClock.backdate(owner, "student_sessions", Duration.ofHours(9), "id = ?", joined.sessionId());
 * assertThatThrownBy(() -> students.authenticate(joined.token(), null)).isInstanceOf(InvalidTokenException.class);
 * }</pre>
 */
public final class DatabaseClock {

    private DatabaseClock() {
    }

    /**
     * @param dataSource any login
     * @return the database's {@code now()}, to the microsecond
     */
    public static Instant now(DataSource dataSource) {
        requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT now()");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new TestkitException("cannot read the database's clock: " + e.getMessage(), e);
        }
    }

    /**
     * Waits, when it must, until the database's clock is at least {@code margin} before the end of
     * its current fixed window of {@code window} (windows counted from the Unix epoch, as
     * {@code date_bin} counts them from 2000-01-01 UTC for any window that divides a day). A test
     * whose steps must fall in one throttle window, or one UTC day, calls this first; it sleeps at
     * most {@code margin}, and asserts nothing about time.
     *
     * @param dataSource any login
     * @param window the window's length, at most a day and dividing it
     * @param margin how much of the window must be left
     * @throws InterruptedException when interrupted while waiting
     */
    public static void awayFromWindowEnd(DataSource dataSource, Duration window, Duration margin) throws InterruptedException {
        long windowMillis = window.toMillis();
        if (windowMillis <= 0 || Duration.ofDays(1).toMillis() % windowMillis != 0 || margin.compareTo(window) >= 0) {
            throw new IllegalArgumentException("window must divide a day and exceed the margin, not " + window + " and " + margin);
        }
        long left = windowMillis - Math.floorMod(now(dataSource).toEpochMilli(), windowMillis);
        if (left < margin.toMillis()) {
            Thread.sleep(left + 100);
        }
    }

    /**
     * Moves every {@code timestamptz} and {@code timestamp} column of the chosen rows back, in one
     * statement, so the rows look as if written {@code by} earlier. A column a trigger sets on
     * update ({@code updated_at}) ends at the present, as after any update.
     *
     * @param owner a login that may update the table whatever its row level security (the owner)
     * @param table the table, in {@code public}
     * @param by how far back; positive
     * @param where the rows, a SQL condition with {@code ?} for each parameter ({@code "id = ?"})
     * @param parameters the condition's values
     * @return how many rows moved
     * @throws TestkitException when the table has no time column or the update fails
     */
    public static int backdate(DataSource owner, String table, Duration by, String where, Object... parameters) {
        requireNonNull(owner, "owner");
        requireNonNull(table, "table");
        requireNonNull(where, "where");
        if (by == null || by.isNegative() || by.isZero()) {
            throw new IllegalArgumentException("by must be a positive duration, not " + by);
        }
        try (Connection connection = owner.getConnection()) {
            List<String> columns = timeColumns(connection, table);
            if (columns.isEmpty()) {
                throw new TestkitException("public." + table + " has no timestamptz or timestamp column to move");
            }
            StringBuilder sql = new StringBuilder("UPDATE public.").append(quote(table)).append(" SET ");
            for (int i = 0; i < columns.size(); i++) {
                String column = quote(columns.get(i));
                sql.append(i == 0 ? "" : ", ").append(column).append(" = ").append(column)
                        .append(" - make_interval(secs => ?)");
            }
            sql.append(" WHERE ").append(where);
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                double seconds = by.getSeconds() + by.getNano() / 1e9;
                int index = 1;
                for (int i = 0; i < columns.size(); i++) {
                    statement.setDouble(index++, seconds);
                }
                for (Object parameter : parameters) {
                    statement.setObject(index++, parameter);
                }
                return statement.executeUpdate();
            }
        } catch (SQLException e) {
            throw new TestkitException("cannot backdate " + table + ": " + e.getMessage(), e);
        }
    }

    private static List<String> timeColumns(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname FROM pg_attribute a
                 WHERE a.attrelid = to_regclass(format('public.%I', CAST(? AS text)))
                   AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                   AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype)
                 ORDER BY a.attnum""")) {
            statement.setString(1, table);
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            return columns;
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
