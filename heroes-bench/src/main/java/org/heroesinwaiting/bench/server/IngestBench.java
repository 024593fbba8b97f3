package org.heroesinwaiting.bench.server;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Offline sync at scale: 16 students' apps each send batches of 50 items, progress and feedback
 * alternating, to {@code POST /api/v1/student/progress} and {@code /feedback} of {@code heroes
 * serve}; then the same rows as plain JDBC batch inserts as {@code heroes_app}, each batch in a
 * transaction that sets the same student context first (so the same triggers and row level
 * security apply). Prints rows/s and the p99 per batch of both, and the ratio. Everything shares
 * this machine's cores. Run from the repository root after
 * {@code mvn -pl heroes-server,heroes-bench -am package -DskipTests}:
 * {@code java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.IngestBench}.
 */
public final class IngestBench {

    private static final int CLIENTS = 16;
    private static final int BATCH = 50;
    private static final int BATCHES_PER_CLIENT = 20;
    private static final int WARM_UP_BATCHES = 4;

    private IngestBench() {
    }

    /** A student: their token, and their session and classroom for the JDBC side. */
    private record Student(String token, UUID session, UUID classroom) {
    }

    /** What one side measured. */
    private record Run(int rows, double seconds, double p99Millis) {
        double rate() {
            return rows / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        try (ServedHeroes served = ServedHeroes.start()) {
            String token = served.facilitatorToken();
            JsonObject lesson = Json.createReader(new StringReader(ServedHeroes.HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + served.port + "/api/v1/lessons/1")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).body())).readObject();
            String content = lesson.getJsonArray("content").getJsonObject(1).getString("id");
            JsonObject question = lesson.getJsonArray("questions").getJsonObject(0);
            String answer = "{\"" + question.getString("id") + "\": \"" + question.getJsonArray("options").getString(0) + "\"}";
            String httpRoom = classroom(served, token);
            String jdbcRoom = classroom(served, token); // 30 seats each
            try (Connection owner = DriverManager.getConnection(served.jdbcUrl(), "heroes_owner", served.password("heroes_owner"))) {
                List<Student> viaHttp = students(served, owner, httpRoom, CLIENTS);
                List<Student> viaJdbc = students(served, owner, jdbcRoom, CLIENTS);
                UUID lessonId;
                try (ResultSet rs = owner.createStatement().executeQuery("SELECT id FROM lessons WHERE lesson_number = 1")) {
                    rs.next();
                    lessonId = rs.getObject(1, UUID.class);
                }
                http(served, viaHttp, content, answer, WARM_UP_BATCHES, "warm");
                Run heroes = http(served, viaHttp, content, answer, BATCHES_PER_CLIENT, "run");
                jdbc(served, viaJdbc, lessonId, UUID.fromString(content), question.getString("id"),
                        question.getJsonArray("options").getString(0), WARM_UP_BATCHES, "warm");
                Run plain = jdbc(served, viaJdbc, lessonId, UUID.fromString(content), question.getString("id"),
                        question.getJsonArray("options").getString(0), BATCHES_PER_CLIENT, "run");

                System.out.println();
                System.out.printf(Locale.ROOT, "batch ingestion: %d clients x %d batches of %d items, progress and feedback alternating, %d cores%n",
                        CLIENTS, BATCHES_PER_CLIENT, BATCH, Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "  heroes over HTTP (per-item checks and results)       %8.0f rows/s   p99 %6.1f ms per batch%n",
                        heroes.rate(), heroes.p99Millis());
                System.out.printf(Locale.ROOT, "  plain JDBC batch insert, same context (baseline)    %8.0f rows/s   p99 %6.1f ms per batch%n",
                        plain.rate(), plain.p99Millis());
                System.out.printf(Locale.ROOT, "  ratio: %.2f of the baseline's rows/s (goal 0.5)%n", heroes.rate() / plain.rate());
            }
        }
    }

    private static String classroom(ServedHeroes served, String token) throws Exception {
        String body = served.post("/api/v1/classrooms", "{\"name\": \"Bench\", \"grade_level\": 5}", token).body();
        return Json.createReader(new StringReader(body)).readObject().getString("classroom_code");
    }

    private static List<Student> students(ServedHeroes served, Connection owner, String code, int count) throws Exception {
        List<Student> students = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String body = served.post("/api/v1/student/join", "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5}",
                    null).body();
            String token = Json.createReader(new StringReader(body)).readObject().getString("student_token");
            try (PreparedStatement find = owner.prepareStatement("SELECT id, classroom_id FROM student_sessions WHERE session_token_hash = ?")) {
                find.setBytes(1, MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
                try (ResultSet rs = find.executeQuery()) {
                    rs.next();
                    students.add(new Student(token, rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
                }
            }
        }
        return students;
    }

    private static Run http(ServedHeroes served, List<Student> students, String content, String answer, int batches, String tag)
            throws Exception {
        return measure(students, batches, (student, b) -> {
            try (KeepAlive connection = new KeepAlive(served.port)) {
                long[] latencies = new long[batches];
                String aMinuteAgo = Instant.now().minusSeconds(60).toString(); // a client's clock; any recent time
                for (int i = 0; i < b; i++) {
                    boolean progress = i % 2 == 0;
                    StringBuilder body = new StringBuilder("{\"items\": [");
                    for (int k = 0; k < BATCH; k++) {
                        String key = tag + "-" + i + "-" + k;
                        body.append(k == 0 ? "" : ", ").append(progress
                                ? "{\"idempotency_key\": \"" + key + "\", \"lesson_number\": 1, \"content_id\": \"" + content
                                        + "\", \"status\": \"completed\", \"time_spent_seconds\": 30, \"client_timestamp\": \"" + aMinuteAgo + "\"}"
                                : "{\"idempotency_key\": \"" + key + "\", \"lesson_number\": 1, \"rating\": 4, \"mood\": \"calm\", \"answers\": "
                                        + answer + ", \"client_timestamp\": \"" + aMinuteAgo + "\"}");
                    }
                    body.append("]}");
                    long sent = System.nanoTime();
                    int status = connection.post(progress ? "/api/v1/student/progress" : "/api/v1/student/feedback", student.token(),
                            body.toString().getBytes(StandardCharsets.UTF_8));
                    latencies[i] = System.nanoTime() - sent;
                    if (status != 200) {
                        throw new IllegalStateException("a batch was answered " + status);
                    }
                }
                return latencies;
            }
        });
    }

    private static Run jdbc(ServedHeroes served, List<Student> students, UUID lesson, UUID content, String questionId, String option,
            int batches, String tag) throws Exception {
        String url = served.jdbcUrl();
        String password = served.password("heroes_app");
        return measure(students, batches, (student, b) -> {
            long[] latencies = new long[batches];
            try (Connection connection = DriverManager.getConnection(url, "heroes_app", password)) {
                connection.setAutoCommit(false);
                try (PreparedStatement context = connection.prepareStatement("SELECT app.set_context(NULL, ?, 'student', NULL, NULL)");
                        PreparedStatement progress = connection.prepareStatement("""
                                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                              completed_at, time_spent_seconds, idempotency_key)
                                VALUES (?, ?, ?, ?, 'completed', ?, ?, 30, ?)""");
                        PreparedStatement feedback = connection.prepareStatement("""
                                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at,
                                                              idempotency_key)
                                VALUES (?, ?, ?, 4, 'calm', CAST(? AS jsonb), ?, ?)""")) {
                    Timestamp at = Timestamp.from(Instant.now().minusSeconds(60));
                    for (int i = 0; i < b; i++) {
                        long sent = System.nanoTime();
                        context.setObject(1, student.session());
                        context.executeQuery().close();
                        PreparedStatement insert = i % 2 == 0 ? progress : feedback;
                        for (int k = 0; k < BATCH; k++) {
                            String key = tag + "-" + i + "-" + k;
                            insert.setObject(1, student.session());
                            insert.setObject(2, student.classroom());
                            insert.setObject(3, lesson);
                            if (insert == progress) {
                                insert.setObject(4, content);
                                insert.setTimestamp(5, at);
                                insert.setTimestamp(6, at);
                                insert.setString(7, key);
                            } else {
                                insert.setString(4, "{\"" + questionId + "\": \"" + option + "\"}");
                                insert.setTimestamp(5, at);
                                insert.setString(6, key);
                            }
                            insert.addBatch();
                        }
                        insert.executeBatch();
                        connection.commit();
                        latencies[i] = System.nanoTime() - sent;
                    }
                }
            }
            return latencies;
        });
    }

    /** One client's batches. */
    private interface Client {
        long[] run(Student student, int batches) throws Exception;
    }

    private static Run measure(List<Student> students, int batches, Client client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(students.size());
        try {
            long start = System.nanoTime();
            List<Future<long[]>> runs = new ArrayList<>();
            for (Student student : students) {
                runs.add(pool.submit(() -> client.run(student, batches)));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> run : runs) {
                Arrays.stream(run.get()).forEach(all::add);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Run(students.size() * batches * BATCH, seconds, sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }
}
