package org.heroesinwaiting.server.support;

import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest.BodyPublishers;

/** Requests a test of an API route sends through Javalin's test client. */
public final class Requests {

    private Requests() {
    }

    /**
     * @param client the test client
     * @param method GET, POST, PATCH or DELETE
     * @param path the path and query
     * @param body a JSON body (sent as {@code application/json}), or {@code null} for none
     * @param token a bearer token, or {@code null}
     * @return the answer
     */
    public static Response send(HttpClient client, String method, String path, String body, String token) {
        return client.request(path, request -> {
            var publisher = body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body);
            switch (method) {
                case "GET" -> request.get();
                case "POST" -> request.post(publisher);
                case "PATCH" -> request.patch(publisher);
                case "DELETE" -> request.delete(publisher);
                default -> throw new IllegalArgumentException(method);
            }
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        });
    }
}
