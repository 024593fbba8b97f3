package org.heroesinwaiting.bench.server;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference server as a process against its baselines, in one run:
 * <ul>
 *   <li>start to the first {@code /health} 200: {@code heroes.jar serve} on an empty data dir (cold)
 *       and on an existing one (warm), against the hello-world Javalin process's start to its first 200;</li>
 *   <li>throughput with wrk: a static answer of the server ({@code /problems/not-found}: request id,
 *       access log, metrics, problem page) and {@code /health} (three database checks), against the
 *       hello-world handler.</li>
 * </ul>
 * Run from the repository root after {@code mvn -pl heroes-server,heroes-bench -am package -DskipTests}:
 * {@code java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.ServerBench}.
 * Needs wrk ({@code apt-get install wrk}).
 */
public final class ServerBench {

    private static final int STARTS = 3;
    private static final String WRK_DURATION = "10s";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ServerBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path serverJar = root.resolve("heroes-server/target/heroes.jar");
        Path benchJar = root.resolve("heroes-bench/target/heroes-bench.jar");
        for (Path jar : List.of(serverJar, benchJar)) {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: run mvn -pl heroes-server,heroes-bench -am package -DskipTests");
            }
        }
        String wrk = findWrk();
        Path work = Files.createTempDirectory("heroes-bench");

        double helloStart = median(repeat(STARTS, () -> timeToFirst200(helloWorld(serverJar, benchJar), "/hello")));
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            Path dataDir = work.resolve("data-" + i);
            cold.add(timeToFirst200(serve(serverJar, dataDir), "/health"));
            warm.add(timeToFirst200(serve(serverJar, dataDir), "/health"));
        }

        Running hello = helloWorld(serverJar, benchJar);
        Running server = serve(serverJar, work.resolve("data-0"));
        try {
            awaitOk(hello, "/hello");
            awaitOk(server, "/health");
            wrk(wrk, hello.port, "/hello"); // warm both JVMs before measuring
            wrk(wrk, server.port, "/problems/not-found");
            wrk(wrk, server.port, "/health");
            double helloRps = wrk(wrk, hello.port, "/hello");
            double staticRps = wrk(wrk, server.port, "/problems/not-found");
            double healthRps = wrk(wrk, server.port, "/health");

            System.out.println();
            System.out.printf(Locale.ROOT, "start to first 200 (median of %d)%n", STARTS);
            System.out.printf(Locale.ROOT, "  hello-world Javalin (baseline)       %7.0f ms%n", helloStart);
            System.out.printf(Locale.ROOT, "  heroes serve, existing data dir      %7.0f ms  (%.1fx the baseline)%n", median(warm), median(warm) / helloStart);
            System.out.printf(Locale.ROOT, "  heroes serve, empty data dir         %7.0f ms  (%.1fx the baseline)%n", median(cold), median(cold) / helloStart);
            System.out.printf(Locale.ROOT, "throughput, wrk -t2 -c32 -d%s%n", WRK_DURATION);
            System.out.printf(Locale.ROOT, "  hello-world handler (baseline)       %7.0f req/s%n", helloRps);
            System.out.printf(Locale.ROOT, "  heroes GET /problems/not-found       %7.0f req/s  (%.2f of the baseline)%n", staticRps, staticRps / helloRps);
            System.out.printf(Locale.ROOT, "  heroes GET /health (3 db checks)     %7.0f req/s  (%.2f of the baseline)%n", healthRps, healthRps / helloRps);
        } finally {
            hello.stop();
            server.stop();
        }
    }

    private record Running(Process process, int port, long startedNanos) {
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
    }

    private interface Measurement {
        double run() throws Exception;
    }

    private static List<Double> repeat(int times, Measurement measurement) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            values.add(measurement.run());
        }
        return values;
    }

    private static Running helloWorld(Path serverJar, Path benchJar) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-cp", serverJar + File.pathSeparator + benchJar,
                HelloWorld.class.getName(), Integer.toString(port));
        return launch(builder, port);
    }

    private static Running serve(Path serverJar, Path dataDir) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", serverJar.toString(), "serve");
        builder.environment().keySet().removeIf(name -> name.startsWith("HEROES_"));
        builder.environment().put("HEROES_DATA_DIR", dataDir.toString());
        builder.environment().put("HEROES_PORT", Integer.toString(port));
        return launch(builder, port);
    }

    private static Running launch(ProcessBuilder builder, int port) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long started = System.nanoTime();
        return new Running(builder.start(), port, started);
    }

    private static double timeToFirst200(Running running, String path) throws Exception {
        try {
            awaitOk(running, path);
            return (System.nanoTime() - running.startedNanos) / 1e6;
        } finally {
            running.stop();
        }
    }

    private static void awaitOk(Running running, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (!running.process.isAlive()) {
                throw new IllegalStateException("the process exited with " + running.process.exitValue());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + running.port + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new IllegalStateException("no 200 from " + path + " within 2 minutes");
    }

    private static double wrk(String wrk, int port, String path) throws Exception {
        Process process = new ProcessBuilder(wrk, "-t2", "-c32", "-d" + WRK_DURATION, "http://127.0.0.1:" + port + path)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher matcher = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("wrk printed no rate:\n" + output);
        }
        Matcher errors = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)").matcher(output);
        if (errors.find()) {
            System.out.println("  (" + errors.group(1) + " answers to " + path + " were not 2xx)");
        }
        return Double.parseDouble(matcher.group(1));
    }

    private static String findWrk() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("wrk is not installed: apt-get install wrk");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
