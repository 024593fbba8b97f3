package org.heroesinwaiting.bench.server;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline manifest as the app syncs it before class: {@code GET /api/v1/offline-manifest}
 * with a facilitator's token, answered 304 (the app's copy is current: {@code If-None-Match}) and
 * answered 200 (the whole manifest of the default curriculum), against the hello-world Javalin
 * handler in a process of its own ({@link HelloWorld}); wrk -t2 -c32 -d10s on the same machine.
 * Run from the repository root after {@code mvn -pl heroes-server,heroes-bench -am package -DskipTests}:
 * {@code java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.server.CurriculumBench}.
 */
public final class CurriculumBench {

    private CurriculumBench() {
    }

    public static void main(String[] args) throws Exception {
        try (ServedHeroes served = ServedHeroes.start()) {
            String token = served.facilitatorToken();
            int helloPort = ServedHeroes.freePort();
            Process hello = new ProcessBuilder("java", "-cp", served.serverJar + File.pathSeparator + served.benchJar,
                    HelloWorld.class.getName(), Integer.toString(helloPort)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                ServedHeroes.awaitOk(helloPort, "/hello", null);
                HttpResponse<String> manifest = ServedHeroes.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + served.port + "/api/v1/offline-manifest"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                String etag = manifest.headers().firstValue("ETag").orElseThrow();
                String auth = "Authorization: Bearer " + token;

                wrk(helloPort, "/hello"); // warm both JVMs before measuring
                wrk(served.port, "/api/v1/offline-manifest", auth, "If-None-Match: " + etag);
                wrk(served.port, "/api/v1/offline-manifest", auth);
                double baseline = wrk(helloPort, "/hello");
                double notModified = wrk(served.port, "/api/v1/offline-manifest", auth, "If-None-Match: " + etag);
                double whole = wrk(served.port, "/api/v1/offline-manifest", auth);

                System.out.println();
                System.out.printf(Locale.ROOT, "offline manifest, wrk -t2 -c32 -d10s (the manifest: %d bytes, %s)%n",
                        manifest.body().getBytes(StandardCharsets.UTF_8).length, etag);
                System.out.printf(Locale.ROOT, "  hello-world Javalin handler (baseline)             %8.0f req/s%n", baseline);
                System.out.printf(Locale.ROOT, "  GET /api/v1/offline-manifest, If-None-Match: 304   %8.0f req/s  (%.2f of the baseline; goal 0.7)%n",
                        notModified, notModified / baseline);
                System.out.printf(Locale.ROOT, "  GET /api/v1/offline-manifest: 200                  %8.0f req/s  (%.2f of the baseline)%n",
                        whole, whole / baseline);
            } finally {
                hello.destroy();
                hello.waitFor(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Requests per second, failing when any answer was neither 2xx nor 3xx. */
    private static double wrk(int port, String path, String... headers) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c32", "-d10s"));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add("http://127.0.0.1:" + port + path);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        if (!rate.find() || output.contains("Non-2xx")) { // wrk's count of answers neither 2xx nor 3xx
            throw new IllegalStateException("wrk on " + path + ":\n" + output);
        }
        return Double.parseDouble(rate.group(1));
    }
}
