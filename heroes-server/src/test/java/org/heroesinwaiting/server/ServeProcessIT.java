package org.heroesinwaiting.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command for real: {@code ./heroes serve} as a process on an empty data dir,
 * stopped with SIGTERM, started again on the same data. Runs after {@code package}, so the script
 * finds its jar up to date and must not build.
 */
class ServeProcessIT {

    private static final Duration START_LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.List<Process> started = new java.util.ArrayList<>();

    /** A failed assertion must not leave a server (and its PostgreSQL) running for the rest of the build. */
    @org.junit.jupiter.api.AfterEach
    void killWhatIsStillRunning() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void serveStartsOnAnEmptyDataDirStopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
        Path hidden = Files.createDirectories(temp.resolve("private"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        Path dataDir = hidden.resolve("heroes-data");
        int port = freePort();

        Process first = start(dataDir, port, temp.resolve("first.log"), "serve");
        awaitHealthy(first, port, temp.resolve("first.log"));
        HttpResponse<String> missing = get(port, "/no-such-route");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(missing.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(missing.body()).contains("\"type\":\"/problems/not-found\"");
        // the default curriculum's media were installed on the first start, and are served by hash
        try (var media = Files.walk(dataDir.resolve("content"))) {
            Path handout = media.filter(file -> file.getFileName().toString().equals("handout.txt")).findFirst().orElseThrow();
            String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(handout)));
            HttpResponse<String> served = get(port, "/media/" + sha256);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(Files.readString(handout));
        }
        Process job = start(dataDir, port, temp.resolve("job.log"), "jobs", "run", "expire-sessions");
        assertThat(job.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(job.exitValue()).as(read(temp.resolve("job.log"))).isZero();

        stop(first);
        String firstLog = read(temp.resolve("first.log"));
        assertThat(firstLog).doesNotContain("building the server");
        assertThat(firstLog).contains("creating the embedded PostgreSQL cluster", "installed the default curriculum: revision 1",
                "embedded PostgreSQL stopped", "stopped");
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("a clean shutdown removes it").doesNotExist();
        assertThat(clusterLog(dataDir)).contains("database system is shut down");

        Process second = start(dataDir, port, temp.resolve("second.log"), "serve");
        awaitHealthy(second, port, temp.resolve("second.log"));
        Process list = start(dataDir, port, temp.resolve("list.log"), "jobs", "list");
        assertThat(list.waitFor(2, TimeUnit.MINUTES)).isTrue();
        // the latest run: the command's, or the scheduler's when a quarter hour turned meanwhile (this test must pass at any time of day)
        assertThat(read(temp.resolve("list.log"))).containsPattern("expire-sessions .* succeeded \\((command|scheduler)\\)");
        stop(second);
        assertThat(read(temp.resolve("second.log"))).doesNotContain("creating the embedded PostgreSQL cluster", "installed the default curriculum");
        assertThat(clusterLog(dataDir)).doesNotContain("not properly shut down");
    }

    private Process start(Path dataDir, int port, Path log, String... command) throws IOException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("heroes");
        String[] line = new String[command.length + 1];
        line[0] = script.toString();
        System.arraycopy(command, 0, line, 1, command.length);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HEROES_"));
        builder.environment().put("HEROES_DATA_DIR", dataDir.toString());
        builder.environment().put("HEROES_PORT", Integer.toString(port));
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private void awaitHealthy(Process process, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + read(log));
            }
            try {
                if (get(port, "/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("no healthy answer within " + START_LIMIT + ":\n" + read(log));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("stopped after SIGTERM").isTrue();
        assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM: the JVM ran its shutdown hooks
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String clusterLog(Path dataDir) throws IOException {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(dataDir.resolve("postgres/log"))) {
            for (Path file : files.sorted().toList()) {
                text.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
