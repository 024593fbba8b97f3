package org.heroesinwaiting.retention.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;

/** What the backup and restore tests share: a small school, and the service as a host builds it. */
public final class BackupFixtures {

    private BackupFixtures() {
    }

    /** One facilitator with {@code classrooms} classrooms ("Room 1", ...), each with {@code students} student sessions. */
    public static void school(Jdbi owner, int classrooms, int students) {
        owner.useHandle(handle -> handle.createScript("""
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES ('backup@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'B');
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                SELECT id, 'Room ' || n, translate(lpad(to_hex(n), 8, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 5
                  FROM facilitators, generate_series(1, %d) n;
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at)
                SELECT c.id, sha256(convert_to(c.id::text || s, 'UTF8')), '{"age_range": "10-11", "grade_level": 5}', now() + interval '8 hours'
                  FROM classrooms c, generate_series(1, %d) s""".formatted(classrooms, students)).execute());
    }

    /** A lesson taught in every classroom, with one feedback row from each student ({@link #school} first). */
    public static void teaching(Jdbi owner) {
        owner.useHandle(handle -> handle.createScript("""
                INSERT INTO lessons (lesson_number, title) VALUES (1, 'What bullying is');
                INSERT INTO classroom_sessions (classroom_id, lesson_id) SELECT c.id, l.id FROM classrooms c, lessons l;
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood, answers,
                                              idempotency_key)
                SELECT s.id, s.classroom_id, cs.lesson_id, cs.id, 4, 'calm', '{"q1": "often"}', 'f-1'
                  FROM student_sessions s JOIN classroom_sessions cs ON cs.classroom_id = s.classroom_id""").execute());
    }

    /** The backup service of this database, reading it as {@code heroes_backup} with the given password. */
    public static BackupService service(TestDatabase database, DataSource app, Path root, String password) {
        return new BackupService(new TransactionRunner(HeroesJdbi.create(app)),
                BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(), password), root, ExternalTools.system(), Clock.systemUTC());
    }

    /** The backup service of this database, with the backup login's own password. */
    public static BackupService service(TestDatabase database, DataSource app, Path root) {
        return service(database, app, root, database.password(DatabaseLogin.BACKUP));
    }

    /** Enough rows (400,000 audit rows) that a dump is still running a moment after it starts. */
    public static void slowToDump(Jdbi owner) {
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO audit_log (table_name, operation, row_key, changed_columns, new_values, actor_role, database_role, transaction_id)
                SELECT 'classrooms', 'INSERT', jsonb_build_object('id', n), '{name}', jsonb_build_object('name', repeat('x', 200)), 'system', 'x', n
                  FROM generate_series(1, 400000) n"""));
    }

    /** @return whether a dump is writing into the folder: a hidden partial file with bytes in it */
    public static boolean writing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".partial") && file.toFile().length() > 0);
        }
    }
}
