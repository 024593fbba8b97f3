package org.heroesinwaiting.bench.server;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.tools.Folders;

/**
 * {@code heroes serve} as a process on the embedded database in a fresh data directory, for the
 * process benchmarks: its port, its database, and small HTTP helpers. Run from the repository
 * root after building the jars.
 */
final class ServedHeroes implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path serverJar;
    final Path benchJar;
    final Path dataDir;
    final int port;
    private final Process process;

    private ServedHeroes(Path serverJar, Path benchJar, Path dataDir, int port, Process process) {
        this.serverJar = serverJar;
        this.benchJar = benchJar;
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** @return the server, answering /health */
    static ServedHeroes start() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path serverJar = root.resolve("heroes-server/target/heroes.jar");
        Path dataDir = Files.createTempDirectory("heroes-bench");
        int port = freePort();
        // started as users start it, by the launcher: its JVM options are the server's (the collector)
        Path launcher = root.resolve("heroes");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("no ./heroes in " + root + ": run the benchmark from the repository's root");
        }
        ProcessBuilder serve = new ProcessBuilder(launcher.toString(), "serve").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        serve.environment().keySet().removeIf(name -> name.startsWith("HEROES_"));
        // -Dheroes.bench.serverJvm="-agentpath:...": more JVM options for the server (a profiler; heroes-bench/README.md)
        serve.environment().put("HEROES_JAVA_OPTS", System.getProperty("heroes.bench.serverJvm", "").trim());
        // -Dheroes.bench.serverEnv=HEROES_HASHING_BUSY_SHARE=0.25,...: the server's configuration (docs/configuration.md)
        for (String setting : System.getProperty("heroes.bench.serverEnv", "").split(",")) {
            int equals = setting.indexOf('=');
            if (equals > 0) {
                serve.environment().put(setting.substring(0, equals).trim(), setting.substring(equals + 1).trim());
            } else if (!setting.isBlank()) {
                throw new IllegalArgumentException("heroes.bench.serverEnv: expected NAME=VALUE, not " + setting);
            }
        }
        serve.environment().put("HEROES_DATA_DIR", dataDir.toString());
        serve.environment().put("HEROES_PORT", Integer.toString(port));
        ServedHeroes served = new ServedHeroes(serverJar, root.resolve("heroes-bench/target/heroes-bench.jar"), dataDir, port, serve.start());
        served.await("/health", null);
        return served;
    }

    /** @return the JDBC URL of its embedded database */
    String jdbcUrl() throws IOException {
        List<String> pid = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        return "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/heroes_in_waiting";
    }

    /** @return the port of its embedded database */
    int databasePort() throws IOException {
        return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
    }

    /**
     * @param login {@code heroes_app}, {@code heroes_owner}, ...
     * @return the password the embedded default generated for it
     */
    String password(String login) throws IOException {
        Properties secrets = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("secrets.properties"))) {
            secrets.load(reader);
        }
        return secrets.getProperty(login);
    }

    /** @return an access token of a facilitator registered for the benchmark */
    String facilitatorToken() throws Exception {
        post("/api/v1/auth/register",
                "{\"email\": \"bench@school.example\", \"password\": \"correct horse battery staple\", \"display_name\": \"Bench\"}", null);
        String login = post("/api/v1/auth/login",
                "{\"email\": \"bench@school.example\", \"password\": \"correct horse battery staple\"}", null).body();
        java.util.regex.Matcher access = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(login);
        if (!access.find()) {
            throw new IllegalStateException("no token in " + login);
        }
        return access.group(1);
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the server JVM's process id */
    long pid() {
        return process.pid();
    }

    /** @return the user and system CPU seconds the server's JVM has used so far */
    double cpuSeconds() {
        return ProcessCpu.of(process.pid());
    }

    /**
     * Waits, up to a minute, until the server's JVM is idle: under a tenth of a core for half a
     * second, so that nothing left from what came before (compilations in flight, the access log's
     * writer, a collection, logins still queued for hashing) is counted in what comes next.
     */
    void settle() throws InterruptedException {
        long start = System.nanoTime();
        double before = cpuSeconds();
        while (System.nanoTime() - start < 60_000_000_000L) {
            Thread.sleep(500);
            double now = cpuSeconds();
            if (now - before < 0.05) {
                break;
            }
            before = now;
        }
        System.out.printf(Locale.ROOT, "the server settled in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * With {@code -Dheroes.bench.profiler=/path/to/libasyncProfiler.so} and {@code
     * -Dheroes.bench.profile=event=cpu,interval=1ms,file=/tmp/profile.html}, starts or stops
     * async-profiler in the server (jcmd's {@code JVMTI.agent_load}), so that a profile holds only
     * the load a bench measures, neither the start nor the warm-up; without them, nothing.
     *
     * @param command {@code start} or {@code stop}
     * @param defaults the options when {@code heroes.bench.profile} is not set
     */
    void profile(String command, String defaults) throws Exception {
        profile(command, "heroes.bench.profile", defaults);
    }

    /**
     * @param command {@code start} or {@code stop}
     * @param property the system property that holds the profiler's options for this part of a bench
     * @param defaults the options when it is not set
     */
    void profile(String command, String property, String defaults) throws Exception {
        String profiler = System.getProperty("heroes.bench.profiler");
        if (profiler != null) {
            String options = command + "," + System.getProperty(property, defaults);
            // quoted: jcmd would read the options' "=" as its own arguments
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "JVMTI.agent_load", profiler, '"' + options + '"')
                    .redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0 || output.contains("ERROR")) {
                throw new IllegalStateException("jcmd JVMTI.agent_load " + options + " failed:\n" + output);
            }
        }
    }

    void await(String path, String token) throws Exception {
        awaitOk(port, path, token);
    }

    static void awaitOk(int port, String path, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("no 200 from " + path);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (process.waitFor(1, TimeUnit.MINUTES)) {
            Folders.delete(dataDir); // its embedded database and backups: hundreds of megabytes a run
        }
    }
}
