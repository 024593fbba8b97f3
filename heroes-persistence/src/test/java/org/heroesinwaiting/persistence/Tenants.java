package org.heroesinwaiting.persistence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Two facilitators, each with a row in every tenant table, seeded as the owner. Each tenant
 * records the key of its row per table, so a test can ask "does A see B's row?".
 */
final class Tenants {

    /** The tables holding a facilitator's or a classroom's data, and the column that identifies a row. */
    static final Map<String, String> TENANT_TABLES = new LinkedHashMap<>();

    static {
        TENANT_TABLES.put("facilitators", "id");
        TENANT_TABLES.put("facilitator_sessions", "id");
        TENANT_TABLES.put("facilitator_retired_tokens", "session_id");
        TENANT_TABLES.put("classrooms", "id");
        TENANT_TABLES.put("student_sessions", "id");
        TENANT_TABLES.put("classroom_sessions", "id");
        TENANT_TABLES.put("student_progress", "id");
        TENANT_TABLES.put("student_feedback", "id");
        TENANT_TABLES.put("facilitator_feedback", "id");
    }

    /** One facilitator's rows. */
    record Tenant(UUID facilitator, UUID classroom, UUID studentSession, Map<String, UUID> keys) {
        UUID key(String table) {
            return keys.get(table);
        }
    }

    final Tenant a;
    final Tenant b;
    final UUID lesson;
    final UUID content;

    Tenants(Jdbi owner) {
        UUID[] curriculum = owner.inTransaction(this::curriculum);
        lesson = curriculum[0];
        content = curriculum[1];
        a = owner.inTransaction(handle -> tenant(handle, "a", "AAAABBBB"));
        b = owner.inTransaction(handle -> tenant(handle, "b", "CCCCDDDD"));
    }

    private UUID[] curriculum(Handle handle) {
        UUID lessonId = handle.createQuery("INSERT INTO lessons (lesson_number, title) VALUES (1, 'What bullying is') RETURNING id")
                .mapTo(UUID.class).one();
        UUID contentId = handle.createQuery("""
                INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                VALUES (:lesson, 'handout', 'Handout', 0, 'lesson-01/handout.txt') RETURNING id""")
                .bind("lesson", lessonId).mapTo(UUID.class).one();
        return new UUID[] {lessonId, contentId};
    }

    private Tenant tenant(Handle handle, String name, String code) {
        Map<String, UUID> keys = new LinkedHashMap<>();
        UUID facilitator = handle.createQuery("""
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES (:email, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', :name) RETURNING id""")
                .bind("email", name + "@school.example").bind("name", "Teacher " + name).mapTo(UUID.class).one();
        keys.put("facilitators", facilitator);
        UUID session = handle.createQuery("""
                INSERT INTO facilitator_sessions (facilitator_id, token_hash, expires_at)
                VALUES (:f, :hash, now() + interval '30 days') RETURNING id""")
                .bind("f", facilitator).bind("hash", sha256(name + "-refresh")).mapTo(UUID.class).one();
        keys.put("facilitator_sessions", session);
        handle.createUpdate("INSERT INTO facilitator_retired_tokens (token_hash, session_id) VALUES (:hash, :s)")
                .bind("hash", sha256(name + "-old-refresh")).bind("s", session).execute();
        keys.put("facilitator_retired_tokens", session);
        UUID classroom = handle.createQuery("""
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                VALUES (:f, :name, :code, 5) RETURNING id""")
                .bind("f", facilitator).bind("name", "Class " + name).bind("code", code).mapTo(UUID.class).one();
        keys.put("classrooms", classroom);
        UUID student = handle.createQuery("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at)
                VALUES (:c, :hash, '{"age_range": "10-11", "grade_level": 5}', now() + interval '8 hours') RETURNING id""")
                .bind("c", classroom).bind("hash", sha256(name + "-student")).mapTo(UUID.class).one();
        keys.put("student_sessions", student);
        UUID taught = handle.createQuery("INSERT INTO classroom_sessions (classroom_id, lesson_id) VALUES (:c, :l) RETURNING id")
                .bind("c", classroom).bind("l", lesson).mapTo(UUID.class).one();
        keys.put("classroom_sessions", taught);
        keys.put("student_progress", handle.createQuery("""
                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status,
                                              started_at, idempotency_key)
                VALUES (:s, :c, :l, :content, 'started', now(), 'p-1') RETURNING id""")
                .bind("s", student).bind("c", classroom).bind("l", lesson).bind("content", content).mapTo(UUID.class).one());
        keys.put("student_feedback", handle.createQuery("""
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood,
                                              answers, idempotency_key)
                VALUES (:s, :c, :l, :t, 4, 'calm', '{"q1": "often"}', 'f-1') RETURNING id""")
                .bind("s", student).bind("c", classroom).bind("l", lesson).bind("t", taught).mapTo(UUID.class).one());
        keys.put("facilitator_feedback", handle.createQuery("""
                INSERT INTO facilitator_feedback (facilitator_id, lesson_id, classroom_id, notes)
                VALUES (:f, :l, :c, 'The role play worked well.') RETURNING id""")
                .bind("f", facilitator).bind("l", lesson).bind("c", classroom).mapTo(UUID.class).one());
        return new Tenant(facilitator, classroom, student, keys);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
