package org.heroesinwaiting.bench.server;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An authenticated GET through the server ({@code GET /api/v1/me}: the guard, the token, the live
 * session, the actor context, the profile) against {@link AuthBaseline}, the same work by hand,
 * both as processes on the same database, with wrk; then the p99 of that GET alone and during a
 * flood of correct logins, in rounds ({@code -Dheroes.bench.floodRounds}, 5 by default), with the
 * cores each kind of server thread used in each. Run from the repository root after
 * {@code mvn -pl heroes-server,heroes-bench -am package -DskipTests}:
 * {@code java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.AuthBench}.
 * {@code -Dheroes.bench.serverEnv=HEROES_HASHING_BUSY_SHARE=0.25} configures the server; with
 * {@code -Dheroes.bench.profiler}, {@code -Dheroes.bench.profile} profiles the measured GET and
 * {@code -Dheroes.bench.profileFlood} the flood's rounds (heroes-bench/README.md).
 */
public final class AuthBench {

    /** A round in which a JVM compiled no longer than this counts as warm. */
    private static final double SETTLED_JIT_SECONDS = 0.25;

    private AuthBench() {
    }

    public static void main(String[] args) throws Exception {
        Process baseline = null;
        try (ServedHeroes served = ServedHeroes.start()) {
            int serverPort = served.port;
            String token = served.facilitatorToken();

            String url = served.jdbcUrl();
            Matcher secret = Pattern.compile("\"secret\": \"([^\"]+)\"").matcher(Files.readString(served.dataDir.resolve("jwt-keys.json")));
            if (!secret.find()) {
                throw new IllegalStateException("no key in the keyring");
            }
            int baselinePort = ServedHeroes.freePort();
            baseline = new ProcessBuilder("java", "-cp", served.serverJar + File.pathSeparator + served.benchJar, AuthBaseline.class.getName(),
                    Integer.toString(baselinePort), url, "heroes_app", served.password("heroes_app"), secret.group(1))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ServedHeroes.awaitOk(baselinePort, "/baseline/me", token);

            warmUp(baseline.pid(), baselinePort, served.pid(), serverPort, token);
            double handCpu = ProcessCpu.of(baseline.pid());
            double handJit = ProcessCpu.jitSeconds(baseline.pid());
            double postgresCpu = ProcessCpu.postgres();
            Run hand = wrk(baselinePort, "/baseline/me", token);
            handCpu = ProcessCpu.of(baseline.pid()) - handCpu;
            handJit = ProcessCpu.jitSeconds(baseline.pid()) - handJit;
            double handPostgres = ProcessCpu.postgres() - postgresCpu;
            served.profile("start", "event=cpu,interval=1ms,file=/tmp/me-cpu.html");
            double heroesCpu = served.cpuSeconds();
            double heroesJit = ProcessCpu.jitSeconds(served.pid());
            postgresCpu = ProcessCpu.postgres();
            Run heroes = wrk(serverPort, "/api/v1/me", token);
            heroesCpu = served.cpuSeconds() - heroesCpu;
            heroesJit = ProcessCpu.jitSeconds(served.pid()) - heroesJit;
            double heroesPostgres = ProcessCpu.postgres() - postgresCpu;
            served.profile("stop", "event=cpu,interval=1ms,file=/tmp/me-cpu.html");

            Path script = Files.createTempFile("login-flood", ".lua");
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.body = '{\"email\": \"bench@school.example\", \"password\": \"correct horse battery staple\"}'\n");
            // a first flood, not counted, for the login's path to compile as /me's did in the warm-up
            System.out.println("flood warm-up: " + floodRound(served, token, script));
            List<FloodRound> rounds = new ArrayList<>();
            served.profile("start", "heroes.bench.profileFlood", "event=cpu,interval=1ms,file=/tmp/flood-cpu.html");
            for (int round = 1; round <= Integer.getInteger("heroes.bench.floodRounds", 5); round++) {
                rounds.add(floodRound(served, token, script));
                System.out.println("flood round " + round + ": " + rounds.get(rounds.size() - 1));
            }
            served.profile("stop", "heroes.bench.profileFlood", "event=cpu,interval=1ms,file=/tmp/flood-cpu.html");

            System.out.println();
            System.out.printf(Locale.ROOT, "authenticated GET, wrk -t2 -c16 -d10s%n");
            System.out.printf(Locale.ROOT, "  by hand: nimbus + JDBC on bare Javalin (baseline)  %7.0f req/s   CPU per request: server %.3f ms, PostgreSQL %.3f ms%n",
                    hand.rate(), hand.perRequestMs(handCpu), hand.perRequestMs(handPostgres));
            System.out.printf(Locale.ROOT, "  heroes GET /api/v1/me                              %7.0f req/s   CPU per request: server %.3f ms, PostgreSQL %.3f ms%n",
                    heroes.rate(), heroes.perRequestMs(heroesCpu), heroes.perRequestMs(heroesPostgres));
            System.out.printf(Locale.ROOT, "  ratio                                              %7.2f of the baseline%n", heroes.rate() / hand.rate());
            System.out.printf(Locale.ROOT, "  JIT compiling during the measured runs: baseline %.0f ms, heroes %.0f ms%n", handJit * 1000, heroesJit * 1000);
            System.out.printf(Locale.ROOT, "p99 of GET /api/v1/me, 4 connections in a closed loop (wrk -t1 -c4 -d10s --latency), alone and during a flood"
                    + " of correct logins (wrk -t1 -c32), %d rounds alternating after one to warm up, the server idle before each%n", rounds.size());
            if (!rounds.isEmpty()) {
                System.out.printf(Locale.ROOT, "  alone                                              %7.1f ms  (%s)%n",
                        median(rounds, FloodRound::alone), spread(rounds, FloodRound::alone));
                System.out.printf(Locale.ROOT, "  during the flood                                   %7.1f ms  (%s)%n",
                        median(rounds, FloodRound::flooded), spread(rounds, FloodRound::flooded));
                System.out.printf(Locale.ROOT, "  flood / alone                                      %7.1fx    (%s)%n",
                        median(rounds, FloodRound::ratio), spread(rounds, FloodRound::ratio));
                System.out.printf(Locale.ROOT, "  logins/s during the flood                          %7.1f%n", median(rounds, FloodRound::logins));
            }
        } finally {
            if (baseline != null) {
                baseline.destroy();
                baseline.waitFor(1, TimeUnit.MINUTES);
            }
        }
    }

    /**
     * Sends both sides the measured load, 10 s each, round after round, until neither JVM's JIT
     * compiled for more than {@link #SETTLED_JIT_SECONDS} in a round (at most {@code
     * -Dheroes.bench.warmUpRounds}, 8 by default; 1 gives the cold figure). On this 2-core machine
     * one round was not enough: the server's compilers worked through most of the next run, since
     * the load leaves them little CPU.
     */
    private static void warmUp(long baselinePid, int baselinePort, long serverPid, int serverPort, String token) throws Exception {
        int rounds = Integer.getInteger("heroes.bench.warmUpRounds", 8);
        for (int round = 1; round <= rounds; round++) {
            double baselineJit = ProcessCpu.jitSeconds(baselinePid);
            wrk(baselinePort, "/baseline/me", token);
            baselineJit = ProcessCpu.jitSeconds(baselinePid) - baselineJit;
            double serverJit = ProcessCpu.jitSeconds(serverPid);
            wrk(serverPort, "/api/v1/me", token);
            serverJit = ProcessCpu.jitSeconds(serverPid) - serverJit;
            System.out.printf(Locale.ROOT, "warm-up round %d: JIT compiling %.0f ms in the baseline, %.0f ms in heroes%n", round,
                    baselineJit * 1000, serverJit * 1000);
            if (baselineJit <= SETTLED_JIT_SECONDS && serverJit <= SETTLED_JIT_SECONDS) {
                return;
            }
        }
    }

    /**
     * The p99 of {@code /me} alone, then during a flood of correct logins, each once the server is
     * idle, with the cores each kind of server thread and PostgreSQL used meanwhile.
     */
    private static FloodRound floodRound(ServedHeroes served, String token, Path script) throws Exception {
        served.settle();
        Cores aloneCores = Cores.before(served);
        double alone = p99(served.port, token);
        aloneCores = aloneCores.after(served);
        served.settle();
        Process flood = new ProcessBuilder("wrk", "-t1", "-c32", "-d14s", "-s", script.toString(),
                "http://127.0.0.1:" + served.port + "/api/v1/auth/login").redirectErrorStream(true).start();
        TimeUnit.SECONDS.sleep(2);
        Cores floodCores = Cores.before(served);
        double flooded = p99(served.port, token);
        floodCores = floodCores.after(served);
        String output = new String(flood.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        flood.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        Matcher refused = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)").matcher(output);
        return new FloodRound(alone, flooded, rate.find() ? Double.parseDouble(rate.group(1)) : Double.NaN,
                refused.find() ? Long.parseLong(refused.group(1)) : 0, aloneCores, floodCores);
    }

    /** One alone-and-flooded pair: p99s in ms, the flood's logins a second and refusals, the cores used in each window. */
    private record FloodRound(double alone, double flooded, double logins, long refused, Cores aloneCores, Cores floodCores) {

        double ratio() {
            return flooded / alone;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p99 alone %.1f ms, flooded %.1f ms (%.1fx); %.1f logins/s, %d refused; cores alone %s; flooded %s",
                    alone, flooded, ratio(), logins, refused, aloneCores, floodCores);
        }
    }

    /** The cores used during a window: the server's threads by kind, and PostgreSQL. */
    private record Cores(long startNanos, Map<String, Double> server, double postgres) {

        static Cores before(ServedHeroes served) {
            return new Cores(System.nanoTime(), ProcessCpu.threads(served.pid()), ProcessCpu.postgres());
        }

        Cores after(ServedHeroes served) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Double> used = new TreeMap<>();
            ProcessCpu.threads(served.pid()).forEach((kind, now) -> used.put(kind, (now - server.getOrDefault(kind, 0.0)) / seconds));
            return new Cores(startNanos, used, (ProcessCpu.postgres() - postgres) / seconds);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            server.forEach((kind, cores) -> text.append(String.format(Locale.ROOT, "%s %.2f, ", kind, cores)));
            return text.append(String.format(Locale.ROOT, "PostgreSQL %.2f", postgres)).toString();
        }
    }

    private static double median(List<FloodRound> rounds, ToDoubleFunction<FloodRound> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String spread(List<FloodRound> rounds, ToDoubleFunction<FloodRound> figure) {
        return String.format(Locale.ROOT, "%.1f to %.1f", rounds.stream().mapToDouble(figure).min().orElse(Double.NaN),
                rounds.stream().mapToDouble(figure).max().orElse(Double.NaN));
    }

    /** What wrk measured: requests a second, and how many it completed. */
    private record Run(double rate, long requests) {

        double perRequestMs(double cpuSeconds) {
            return cpuSeconds * 1000 / requests;
        }
    }

    private static Run wrk(int port, String path, String token) throws Exception {
        Process process = new ProcessBuilder("wrk", "-t2", "-c16", "-d10s", "-H", "Authorization: Bearer " + token,
                "http://127.0.0.1:" + port + path).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        Matcher requests = Pattern.compile("([0-9]+) requests in").matcher(output);
        if (!rate.find() || !requests.find() || output.contains("Non-2xx")) {
            throw new IllegalStateException("wrk on " + path + ":\n" + output);
        }
        return new Run(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(1)));
    }

    /** The 99th percentile latency (ms) of the authenticated GET over four connections. */
    private static double p99(int port, String token) throws Exception {
        Process process = new ProcessBuilder("wrk", "-t1", "-c4", "-d10s", "--latency", "-H", "Authorization: Bearer " + token,
                "http://127.0.0.1:" + port + "/api/v1/me").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!p99.find()) {
            throw new IllegalStateException("wrk printed no p99:\n" + output);
        }
        double value = Double.parseDouble(p99.group(1));
        return switch (p99.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
