package org.heroesinwaiting.bench.server;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.heroesinwaiting.bench.retention.RetentionData;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.RetentionRequest;
import org.heroesinwaiting.retention.RetentionResult;
import org.heroesinwaiting.retention.RetentionService;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Whether the classroom notices retention: {@code heroes serve} on its embedded database holding a
 * million eligible student rows and a million-row audit month past the live period.
 * <ul>
 *   <li>the p99 of an authenticated {@code GET /api/v1/me} over 4 keep-alive connections during the
 *       retention run that moves the million rows, against the same load without it;</li>
 *   <li>the p99 of student joins (audited writes, which the month's DETACH blocks) over 8
 *       connections during the month's retire, against the same load without it.</li>
 * </ul>
 * Goal: at most 1.5x each. The load, the server, PostgreSQL and the run share the 2 cores.
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.RetentionImpactBench
 * </pre>
 */
public final class RetentionImpactBench {

    private static final int SESSIONS = 166_667;
    private static final int AUDIT_ROWS = 1_000_000;
    private static final int JOIN_CLASSROOMS = 1_000;

    private RetentionImpactBench() {
    }

    private record Window(int requests, double seconds, double p50Millis, double p99Millis, double maxMillis) {
    }

    public static void main(String[] args) throws Exception {
        try (ServedHeroes served = ServedHeroes.start()) {
            String token = served.facilitatorToken();
            PGSimpleDataSource owner = login(served, "heroes_owner");
            PGSimpleDataSource app = login(served, "heroes_app");
            System.out.println("writing " + SESSIONS + " sessions (1,000,002 rows) and a " + AUDIT_ROWS + "-row audit month...");
            RetentionData.students(owner, SESSIONS, 4);
            RetentionData.auditMonth(owner, AUDIT_ROWS);
            List<String> codes = joinClassrooms(owner);
            RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()), Optional.empty());
            retention.run(RetentionRequest.table("auth_attempts")); // warms the service's path
            AtomicInteger joins = new AtomicInteger();

            gets(served.port, token, 4, () -> false, 2_000); // warm-up
            joinsFor(served.port, codes, joins, 8, 1.0, () -> false);
            Window quiet = gets(served.port, token, 4, () -> false, 3_000);
            Window busy = during(() -> retention.run(RetentionRequest.table("student_sessions")),
                    stop -> gets(served.port, token, 4, stop, Integer.MAX_VALUE));
            Window joinsQuiet = joinsFor(served.port, codes, joins, 8, 3.0, () -> false);
            Window joinsRetire = during(() -> retention.run(RetentionRequest.table("audit_log")),
                    stop -> joinsFor(served.port, codes, joins, 8, 60.0, stop));

            System.out.printf(Locale.ROOT, "  %-62s %8s %8s %8s %8s %8s%n", "", "requests", "req/s", "p50 ms", "p99 ms", "max ms");
            print("GET /api/v1/me, 4 connections, alone (baseline)", quiet);
            print("GET /api/v1/me, 4 connections, while 1,000,002 rows move", busy);
            print("POST /api/v1/student/join, 8 connections, alone (baseline)", joinsQuiet);
            print("POST /api/v1/student/join, 8 connections, while the month retires", joinsRetire);
            System.out.printf(Locale.ROOT, "  p99 ratios: GET %.2fx, joins %.2fx (goal: <= 1.5x)%n", busy.p99Millis() / quiet.p99Millis(),
                    joinsRetire.p99Millis() / joinsQuiet.p99Millis());
        }
    }

    private interface Load {
        Window run(java.util.function.BooleanSupplier stop) throws Exception;
    }

    /** Runs the load until the retention run, started once the load runs, has finished. */
    private static Window during(java.util.function.Supplier<RetentionResult> run, Load load) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<RetentionResult> retention = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return run.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                done.set(true);
            }
        });
        Window window = load.run(done::get);
        RetentionResult result = retention.join();
        System.out.printf(Locale.ROOT, "  (the run: %s in %.1f s)%n", result.summary(), result.took().toMillis() / 1000.0);
        return window;
    }

    private static Window gets(int port, String token, int connections, java.util.function.BooleanSupplier stop, int perConnection)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> clients = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            clients.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                try (KeepAlive connection = new KeepAlive(port)) {
                    for (int i = 0; i < perConnection && !(perConnection == Integer.MAX_VALUE && stop.getAsBoolean()); i++) {
                        long sent = System.nanoTime();
                        if (connection.get("/api/v1/me", token) != 200) {
                            throw new IllegalStateException("GET /api/v1/me failed");
                        }
                        latencies.add(System.nanoTime() - sent);
                    }
                }
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }));
        }
        return window(clients, started, pool);
    }

    private static Window joinsFor(int port, List<String> codes, AtomicInteger next, int connections, double seconds,
            java.util.function.BooleanSupplier stop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> clients = new ArrayList<>();
        long started = System.nanoTime();
        long deadline = started + (long) (seconds * 1e9);
        for (int c = 0; c < connections; c++) {
            clients.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                try (KeepAlive connection = new KeepAlive(port)) {
                    while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
                        int k = next.getAndIncrement();
                        byte[] body = ("{\"classroom_code\": \"" + codes.get((k / 30) % codes.size())
                                + "\", \"age_range\": \"10-11\", \"grade_level\": 5}").getBytes(StandardCharsets.US_ASCII);
                        long sent = System.nanoTime();
                        int status = connection.post("/api/v1/student/join", null, body);
                        if (status != 201) {
                            throw new IllegalStateException("a join answered " + status);
                        }
                        latencies.add(System.nanoTime() - sent);
                    }
                }
                return latencies.stream().mapToLong(Long::longValue).toArray();
            }));
        }
        return window(clients, started, pool);
    }

    private static Window window(List<Future<long[]>> clients, long started, ExecutorService pool) throws Exception {
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> client : clients) {
            all.add(client.get());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (latencies.length == 0) {
            throw new IllegalStateException("no request in the window");
        }
        return new Window(latencies.length, seconds, latencies[latencies.length / 2] / 1e6,
                latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6,
                latencies[latencies.length - 1] / 1e6);
    }

    private static void print(String what, Window window) {
        System.out.printf(Locale.ROOT, "  %-62s %8d %8.0f %8.1f %8.1f %8.1f%n", what, window.requests(), window.requests() / window.seconds(),
                window.p50Millis(), window.p99Millis(), window.maxMillis());
    }

    /** Classrooms of 30 seats whose codes begin with Z, for the joins; each join takes the next seat. */
    private static List<String> joinClassrooms(PGSimpleDataSource owner) throws Exception {
        List<String> codes = new ArrayList<>();
        try (Connection connection = owner.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Join room ' || n, 'Z' || translate(lpad(to_hex(n), 7, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 5
                      FROM facilitators f, generate_series(1, %d) n WHERE f.email = 'retention-bench@school.example'""".formatted(JOIN_CLASSROOMS));
            try (var rs = sql.executeQuery("SELECT classroom_code FROM classrooms WHERE classroom_code LIKE 'Z%' ORDER BY 1")) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                }
            }
        }
        return codes;
    }

    private static PGSimpleDataSource login(ServedHeroes served, String user) throws Exception {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(served.jdbcUrl());
        source.setUser(user);
        source.setPassword(served.password(user));
        return source;
    }
}
