package org.heroesinwaiting.bench.server;

import com.sun.management.OperatingSystemMXBean;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.heroesinwaiting.core.tools.ExternalTools;

/**
 * The join burst of a school morning: {@code heroes serve} on its embedded database, 200 classrooms
 * of 30 seats, 6,000 {@code POST /api/v1/student/join} over 32 concurrent keep-alive connections;
 * then, on the same database with the sessions deleted, the same join transactions as pgbench runs
 * them: a custom script calling the same SQL function with 32 clients (as {@code heroes_app},
 * prepared statements). Prints joins/s, p50 and p99 of each and the ratios, and the CPU
 * milliseconds per join of the server's JVM and of PostgreSQL.
 *
 * <p>The server is measured warm: 20 rounds of joins into 40
 * classrooms first (emptied between rounds), and each burst starts once the
 * server is idle; {@code -Dheroes.bench.warmUpRounds=1} measures it nearly cold.
 *
 * <p>Both sides send the same joins in two patterns ({@link Order}): class by class, as a class
 * joins together, where the concurrent joins queue on one classroom's lock; and spread over the
 * classrooms, where none do. pgbench's client is light C; so is the burst's: wrk (2 threads) with
 * {@code join.lua}, each request a join. The burst is also sent, spread, by the
 * earlier client, Java threads in this process on the same two cores as the server and PostgreSQL,
 * whose CPU counted against the server; each client's own CPU is printed beside its figures (as a
 * share of the machine's cores over the burst). Without wrk on the PATH (Debian: wrk) only the Java
 * client runs, and the output says so. Needs pgbench (Debian: postgresql-15 or
 * postgresql-client-15). Run from the repository root after
 * {@code mvn -pl heroes-server,heroes-bench -am package -DskipTests}:
 * {@code java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.JoinBench}.
 */
public final class JoinBench {

    private static final int CLASSROOMS = 200;
    private static final int SEATS = 30;
    private static final int JOINS = CLASSROOMS * SEATS;
    private static final int CLIENTS = 32;
    /** Classrooms filled before measuring, so the JIT has seen the path. */
    private static final int WARM_UP_CLASSROOMS = Integer.getInteger("heroes.bench.warmUpClassrooms", 40);
    /**
     * How many times the warm-up classrooms are filled (emptied between rounds). Tiered compilation
     * takes a method called once a request to C2 after some thousands of requests, so a short warm-up
     * measures a server still compiling its own path; 1 measures it so.
     */
    private static final int WARM_UP_ROUNDS = Integer.getInteger("heroes.bench.warmUpRounds", 20);
    /** Spare classrooms for the joins wrk's connections still had in flight when their thread's share was done. */
    private static final int SPARE_CLASSROOMS = 2;
    private static final int WRK_THREADS = 2;

    private JoinBench() {
    }

    /**
     * What one side measured: the share of the machine's cores its client used, and the CPU
     * milliseconds per join of the server's JVM and of PostgreSQL (NaN: not measured).
     */
    private record Burst(int joins, double seconds, double p50Millis, double p99Millis, double clientCpu, double serverMillis,
            double postgresMillis) {
        double rate() {
            return joins / seconds;
        }

        Burst withCpu(Cpu before, Cpu after) {
            return new Burst(joins, seconds, p50Millis, p99Millis, clientCpu, (after.server() - before.server()) * 1000 / joins,
                    (after.postgres() - before.postgres()) * 1000 / joins);
        }
    }

    /** CPU seconds so far of the served server's JVM (NaN for none) and of PostgreSQL. */
    private record Cpu(double server, double postgres) {
        static Cpu of(ServedHeroes served) {
            return new Cpu(served == null ? Double.NaN : served.cpuSeconds(), ProcessCpu.postgres());
        }
    }

    /** Which classroom the k-th join of a burst goes to; every client of a pattern sends the same joins. */
    private enum Order {
        /**
         * A class at a time, as a class joins together: joins 0 to 29 into the first classroom, 30 to
         * 59 into the second, and so on, so the concurrent joins queue on one classroom's lock.
         */
        CLASS_BY_CLASS("class by class", "class", "nextval('bench_join') / " + SEATS),
        /** Round robin: join k into classroom k mod 200, so no two concurrent joins share a classroom. */
        SPREAD("spread", "spread", "nextval('bench_join') % " + CLASSROOMS);

        final String label;
        final String lua;
        final String pgbenchClassroom;

        Order(String label, String lua, String pgbenchClassroom) {
            this.label = label;
            this.lua = lua;
            this.pgbenchClassroom = pgbenchClassroom;
        }
    }

    public static void main(String[] args) throws Exception {
        String pgbench = findPgbench();
        Optional<Path> wrk = ExternalTools.system().findProgram("wrk");
        try (ServedHeroes served = ServedHeroes.start()) {
            String token = served.facilitatorToken();
            List<String> warmUp = classrooms(served, token, WARM_UP_CLASSROOMS);
            List<String> codes = classrooms(served, token, CLASSROOMS);
            Map<Order, List<String>> wrkCodes = new EnumMap<>(Order.class);
            if (wrk.isPresent()) {
                for (Order order : Order.values()) {
                    wrkCodes.put(order, classrooms(served, token, CLASSROOMS + SPARE_CLASSROOMS));
                }
            }
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                http(served, warmUp);
                try (Connection owner = DriverManager.getConnection(served.jdbcUrl(), "heroes_owner", served.password("heroes_owner"));
                        Statement statement = owner.createStatement()) {
                    statement.execute("DELETE FROM student_sessions");
                }
            }
            served.settle();
            Cpu beforeJava = Cpu.of(served);
            Burst java = http(served, codes).withCpu(beforeJava, Cpu.of(served));
            Map<Order, Burst> light = new EnumMap<>(Order.class);
            if (wrk.isPresent()) {
                served.profile("start", "event=cpu,file=/tmp/join-burst.html");
                for (Order order : Order.values()) {
                    served.settle();
                    Cpu before = Cpu.of(served);
                    light.put(order, wrk(wrk.get(), served, wrkCodes.get(order), order).withCpu(before, Cpu.of(served)));
                }
                served.profile("stop", "event=cpu,file=/tmp/join-burst.html");
            }

            String url = served.jdbcUrl();
            try (Connection owner = DriverManager.getConnection(url, "heroes_owner", served.password("heroes_owner"))) {
                prepareBaseline(owner, codes);
            }
            Map<Order, Burst> raw = new EnumMap<>(Order.class);
            for (Order order : Order.values()) {
                try (Connection owner = DriverManager.getConnection(url, "heroes_owner", served.password("heroes_owner"))) {
                    resetBaseline(owner);
                }
                Cpu before = Cpu.of(null);
                raw.put(order, pgbench(pgbench, served, order).withCpu(before, Cpu.of(null)));
                try (Connection owner = DriverManager.getConnection(url, "heroes_owner", served.password("heroes_owner"))) {
                    checkBaseline(owner, raw.get(order).joins());
                }
            }

            System.out.println();
            System.out.printf(Locale.ROOT, "join burst: %d classrooms x %d seats, %d concurrent clients, all on this machine's %d cores%n",
                    CLASSROOMS, SEATS, CLIENTS, Runtime.getRuntime().availableProcessors());
            System.out.println("  heroes: POST /api/v1/student/join; pgbench: the same SQL function, -M prepared; class by class: joins 0 to 29"
                    + " into the first classroom, and so on; spread: join k into classroom k mod " + CLASSROOMS);
            System.out.printf(Locale.ROOT, "  %-46s %6s %8s %8s %8s %10s %9s %9s%n", "", "joins", "joins/s", "p50 ms", "p99 ms",
                    "client CPU", "server", "postgres");
            System.out.printf(Locale.ROOT, "  %-46s %6s %8s %8s %8s %10s %9s %9s%n", "", "", "", "", "", "", "ms/join", "ms/join");
            for (Order order : Order.values()) {
                if (light.containsKey(order)) {
                    print("heroes, wrk, " + order.label, light.get(order));
                }
                if (order == Order.SPREAD) {
                    print("heroes, Java client in this process, " + order.label, java);
                }
                print("pgbench (baseline), " + order.label, raw.get(order));
            }
            if (light.isEmpty()) {
                System.out.println("  wrk is not on the PATH (Debian: wrk): the light client did not run");
            }
            for (Order order : Order.values()) {
                if (light.containsKey(order)) {
                    System.out.printf(Locale.ROOT, "  ratio, %s: %.2f of pgbench's throughput; p99 %.1f ms (goal: >= 0.5, <= 100 ms)%n",
                            order.label, light.get(order).rate() / raw.get(order).rate(), light.get(order).p99Millis());
                }
            }
            System.out.printf(Locale.ROOT, "  with the Java client, %s: %.2f of pgbench's throughput; p99 %.1f ms (its own CPU counts against the server)%n",
                    Order.SPREAD.label, java.rate() / raw.get(Order.SPREAD).rate(), java.p99Millis());
        }
    }

    /**
     * The same burst sent by wrk with {@code join.lua}: {@link #CLIENTS} connections over {@link
     * #WRK_THREADS} threads, each thread its share of the joins; wrk times each request, and reads
     * its own CPU from /proc at the end.
     */
    private static Burst wrk(Path wrk, ServedHeroes served, List<String> codes, Order order) throws Exception {
        Path dir = Files.createTempDirectory("join-wrk");
        Path script = dir.resolve("join.lua");
        try (InputStream lua = JoinBench.class.getResourceAsStream("join.lua")) {
            Files.copy(lua, script);
        }
        Path codeFile = dir.resolve("codes");
        Files.write(codeFile, codes);
        ProcessBuilder builder = new ProcessBuilder(wrk.toString(), "-t", Integer.toString(WRK_THREADS), "-c", Integer.toString(CLIENTS),
                "-d", "300s", "--timeout", "30s", "-s", script.toString(), "http://localhost:" + served.port + "/api/v1/student/join")
                .redirectErrorStream(true);
        Path done = Files.createDirectory(dir.resolve("done"));
        builder.environment().putAll(Map.of("JOIN_CODES", codeFile.toString(), "JOIN_SEATS", Integer.toString(SEATS),
                "JOIN_TOTAL", Integer.toString(JOINS), "JOIN_THREADS", Integer.toString(WRK_THREADS), "JOIN_DONE", done.toString(),
                "JOIN_ORDER", order.lua));
        double cpuBefore = ProcessCpu.waitedChildren();
        Process process = builder.start();
        // wrk sleeps through its -d whatever its threads do: once every thread has sent its share, interrupt it (it then reports)
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (process.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> finished = Files.list(done)) {
                if (finished.count() == WRK_THREADS) {
                    new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
                    break;
                }
            }
            Thread.sleep(20);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Matcher line = Pattern.compile("JOINBENCH (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)").matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + output);
        }
        int requests = Integer.parseInt(line.group(1));
        double seconds = Long.parseLong(line.group(2)) / 1e6;
        if (Integer.parseInt(line.group(5)) > 0) {
            throw new IllegalStateException(line.group(5) + " of " + requests + " joins were refused; the burst is invalid:\n" + output);
        }
        double cpu = ProcessCpu.waitedChildren() - cpuBefore;
        return new Burst(requests, seconds, Long.parseLong(line.group(3)) / 1e3, Long.parseLong(line.group(4)) / 1e3,
                cpu / (seconds * Runtime.getRuntime().availableProcessors()), Double.NaN, Double.NaN);
    }

    private static void print(String label, Burst burst) {
        System.out.printf(Locale.ROOT, "  %-46s %6d %8.0f %8.1f %8.1f %10s %9s %9.3f%n", label, burst.joins(), burst.rate(), burst.p50Millis(),
                burst.p99Millis(), Double.isNaN(burst.clientCpu()) ? "-" : String.format(Locale.ROOT, "%.0f %%", burst.clientCpu() * 100),
                Double.isNaN(burst.serverMillis()) ? "-" : String.format(Locale.ROOT, "%.3f", burst.serverMillis()), burst.postgresMillis());
    }

    private static List<String> classrooms(ServedHeroes served, String token, int count) throws Exception {
        List<String> codes = new ArrayList<>();
        Pattern code = Pattern.compile("\"classroom_code\":\"([A-Z0-9]{8})\"");
        for (int i = 0; i < count; i++) {
            HttpResponse<String> created = served.post("/api/v1/classrooms", "{\"name\": \"Room " + i + "\", \"grade_level\": 5}", token);
            Matcher matcher = code.matcher(created.body());
            if (created.statusCode() != 201 || !matcher.find()) {
                throw new IllegalStateException("creating a classroom answered " + created.statusCode() + ": " + created.body());
            }
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /**
     * Every seat of every classroom joined once over HTTP: {@link #CLIENTS} threads, each with one
     * {@link KeepAlive} connection, take the next join until all are sent; the client times each
     * request and the whole burst itself.
     */
    private static Burst http(ServedHeroes served, List<String> codes) throws Exception {
        int total = codes.size() * SEATS;
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        OperatingSystemMXBean process = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = process.getProcessCpuTime();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                try (KeepAlive connection = new KeepAlive(served.port)) {
                    for (int k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
                        byte[] body = ("{\"classroom_code\": \"" + codes.get(k % codes.size())
                                + "\", \"age_range\": \"10-11\", \"grade_level\": 5}").getBytes(StandardCharsets.US_ASCII);
                        long sent = System.nanoTime();
                        if (connection.post("/api/v1/student/join", null, body) != 201) {
                            refused.incrementAndGet();
                        }
                        latencies[k] = System.nanoTime() - sent;
                    }
                }
                return null;
            }));
        }
        for (Future<?> each : clients) {
            each.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (process.getProcessCpuTime() - cpuBefore) / 1e9;
        pool.shutdown();
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " of " + total + " joins were refused; the burst is invalid");
        }
        return burst(latencies, seconds, cpu / (seconds * Runtime.getRuntime().availableProcessors()));
    }

    private static void prepareBaseline(Connection owner, List<String> codes) throws Exception {
        try (Statement statement = owner.createStatement()) {
            statement.execute("CREATE TABLE bench_codes (n integer PRIMARY KEY, code text NOT NULL)");
            statement.execute("CREATE SEQUENCE bench_join MINVALUE 0 START 0");
            statement.execute("GRANT SELECT ON bench_codes TO application_role");
            statement.execute("GRANT USAGE ON SEQUENCE bench_join TO application_role");
        }
        try (PreparedStatement insert = owner.prepareStatement("INSERT INTO bench_codes VALUES (?, ?)")) {
            for (int i = 0; i < codes.size(); i++) {
                insert.setInt(1, i);
                insert.setString(2, codes.get(i));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every classroom empty again, and the sequence that hands pgbench's clients their joins back at 0. */
    private static void resetBaseline(Connection owner) throws Exception {
        try (Statement statement = owner.createStatement()) {
            statement.execute("DELETE FROM student_sessions");
            statement.execute("VACUUM ANALYZE student_sessions");
            statement.execute("ALTER SEQUENCE bench_join RESTART");
        }
    }

    /** Every pgbench join must have seated a student: no classroom over capacity, nothing refused. */
    private static void checkBaseline(Connection owner, int expected) throws Exception {
        try (Statement statement = owner.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT coalesce(sum(seated), 0), coalesce(max(seated), 0) FROM (
                            SELECT count(*) AS seated FROM student_sessions GROUP BY classroom_id) per_classroom""")) {
            rs.next();
            if (rs.getInt(1) != expected || rs.getInt(2) > SEATS) {
                throw new IllegalStateException("pgbench seated " + rs.getInt(1) + " students (expected " + expected
                        + "), at most " + rs.getInt(2) + " per classroom");
            }
        }
    }

    private static Burst pgbench(String pgbench, ServedHeroes served, Order order) throws Exception {
        Path dir = Files.createTempDirectory("join-pgbench");
        Path script = dir.resolve("join.sql");
        // The classroom comes from a sequence, so every classroom gets exactly its 30 joins, in the order's pattern.
        Files.writeString(script, """
                SELECT outcome FROM app.join_classroom(
                    (SELECT code FROM bench_codes WHERE n = (SELECT %s)),
                    sha256(convert_to(gen_random_uuid()::text, 'UTF8')),
                    '{"age_range": "10-11", "grade_level": 5}'::jsonb, interval '8 hours', inet '127.0.0.1', NULL, 30);
                """.formatted(order.pgbenchClassroom));
        ProcessBuilder builder = new ProcessBuilder(pgbench, "-n", "-M", "prepared", "-c", Integer.toString(CLIENTS), "-j", "2",
                "-t", Integer.toString(JOINS / CLIENTS), "-f", script.toString(), "-l", "--log-prefix", dir.resolve("log").toString(),
                "-h", "localhost", "-p", Integer.toString(served.databasePort()), "-U", "heroes_app", "heroes_in_waiting")
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", served.password("heroes_app"));
        double cpuBefore = ProcessCpu.waitedChildren();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        double cpu = ProcessCpu.waitedChildren() - cpuBefore;
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        List<Long> micros = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    micros.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        long[] latencies = micros.stream().mapToLong(us -> us * 1000).toArray();
        double seconds = latencies.length / Double.parseDouble(tps.group(1));
        return burst(latencies, seconds, cpu / (seconds * Runtime.getRuntime().availableProcessors()));
    }

    private static Burst burst(long[] nanos, double seconds, double clientCpu) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Burst(sorted.length, seconds, sorted[(int) Math.floor(sorted.length * 0.50)] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) Math.floor(sorted.length * 0.99))] / 1e6, clientCpu, Double.NaN, Double.NaN);
    }

    private static String findPgbench() {
        return ExternalTools.system().postgres("pgbench").toString();
    }
}
