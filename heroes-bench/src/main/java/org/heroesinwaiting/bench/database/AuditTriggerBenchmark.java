package org.heroesinwaiting.bench.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.TestDatabases;
import org.heroesinwaiting.testkit.TestkitSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the generic audit trigger costs: inserting classrooms as {@code heroes_app} (row level
 * security on, the actor context set) into the real table, against the same table in a copy of the
 * database where only the audit trigger is disabled. Single-row transactions and 1,000-row batches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AuditTriggerBenchmark {

    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private TestDatabases databases;
    private TestDatabase audited;
    private TestDatabase plain;
    private Connection auditedConnection;
    private Connection plainConnection;
    private UUID facilitator;
    private long codes;

    @Setup(Level.Trial)
    public void createDatabases() throws SQLException {
        databases = TestDatabases.start(TestkitSettings.embedded());
        audited = databases.create();
        plain = databases.create();
        facilitator = UUID.randomUUID();
        for (TestDatabase database : new TestDatabase[] {audited, plain}) {
            try (Connection owner = database.dataSource(DatabaseLogin.OWNER).getConnection();
                    PreparedStatement insert = owner.prepareStatement("""
                            INSERT INTO facilitators (id, email, password_hash, display_name)
                            VALUES (?, 'bench@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'Bench')""")) {
                insert.setObject(1, facilitator);
                insert.execute();
            }
        }
        try (Connection owner = plain.dataSource(DatabaseLogin.OWNER).getConnection(); Statement statement = owner.createStatement()) {
            statement.execute("ALTER TABLE classrooms DISABLE TRIGGER classrooms_audit");
        }
        auditedConnection = audited.dataSource(DatabaseLogin.APP).getConnection();
        plainConnection = plain.dataSource(DatabaseLogin.APP).getConnection();
        auditedConnection.setAutoCommit(false);
        plainConnection.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void dropDatabases() throws SQLException {
        auditedConnection.close();
        plainConnection.close();
        audited.close();
        plain.close();
        databases.close();
    }

    @Benchmark
    public int singleRowAudited() throws SQLException {
        return insert(auditedConnection, 1);
    }

    @Benchmark
    public int singleRowPlain() throws SQLException {
        return insert(plainConnection, 1);
    }

    @Benchmark
    public int batchAudited() throws SQLException {
        return insert(auditedConnection, 1000);
    }

    @Benchmark
    public int batchPlain() throws SQLException {
        return insert(plainConnection, 1000);
    }

    /** One transaction: the actor context, then {@code rows} inserts in one JDBC batch. */
    private int insert(Connection connection, int rows) throws SQLException {
        try (PreparedStatement context = connection.prepareStatement("SELECT app.set_context(?, NULL, 'facilitator', 'bench', NULL)");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (?, 'Bench room', ?, 5)")) {
            context.setObject(1, facilitator);
            try (ResultSet ignored = context.executeQuery()) {
                // the context is set for this transaction
            }
            for (int i = 0; i < rows; i++) {
                insert.setObject(1, facilitator);
                insert.setString(2, nextCode());
                insert.addBatch();
            }
            int inserted = insert.executeBatch().length;
            connection.commit();
            return inserted;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    private String nextCode() {
        long value = codes++;
        char[] code = new char[8];
        for (int i = 7; i >= 0; i--) {
            code[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
            value /= ALPHABET.length();
        }
        return new String(code);
    }
}
