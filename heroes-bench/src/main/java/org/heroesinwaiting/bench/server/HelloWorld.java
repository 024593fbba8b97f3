package org.heroesinwaiting.bench.server;

import io.javalin.Javalin;

/**
 * The baseline: Javalin with one hello-world handler and nothing else (no request ids, no access
 * log, no metrics). Run from the server's jar, so both use the same Javalin and Jetty:
 * {@code java -cp heroes.jar:heroes-bench.jar org.heroesinwaiting.bench.server.HelloWorld 7072}.
 */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/hello", ctx -> ctx.result("Hello, world"));
        }).start(port);
    }
}
