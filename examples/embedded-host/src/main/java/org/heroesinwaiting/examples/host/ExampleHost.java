package org.heroesinwaiting.examples.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.InputProblem;
import org.heroesinwaiting.core.InvalidInputException;
import org.heroesinwaiting.core.activity.ItemResult;
import org.heroesinwaiting.core.activity.ProgressItem;
import org.heroesinwaiting.core.activity.ProgressStatus;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.InvalidCredentialsException;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.TokenPair;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.JoinRequest;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.persistence.Heroes;

/**
 * A host that embeds the library without Javalin: the JDK's own {@link HttpServer}, five endpoints,
 * each a few lines over the library's ports. Everything it knows of the library is the public API of
 * core and persistence: the composition root, the ports, the domain's records and exceptions.
 *
 * <pre>{@code
 * try (Heroes heroes = Heroes.create(settings, app, Clock.systemUTC()); ExampleHost host = ExampleHost.start(heroes, 8080)) {
 *     ...
 * }
 * }</pre>
 */
public final class ExampleHost implements AutoCloseable {

    private static final int MAX_BODY = 64 * 1024;

    private final Heroes heroes;
    private final HttpServer server;

    private ExampleHost(Heroes heroes, HttpServer server) {
        this.heroes = heroes;
        this.server = server;
    }

    /**
     * @param heroes the library
     * @param port the port, or 0 for any free one
     * @return the running host
     * @throws IOException when the port cannot be bound
     */
    public static ExampleHost start(Heroes heroes, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        ExampleHost host = new ExampleHost(heroes, server);
        server.createContext("/register", exchange -> host.handle(exchange, host::register));
        server.createContext("/login", exchange -> host.handle(exchange, host::login));
        server.createContext("/classrooms", exchange -> host.handle(exchange, host::createClassroom));
        server.createContext("/join", exchange -> host.handle(exchange, host::join));
        server.createContext("/progress", exchange -> host.handle(exchange, host::progress));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return host;
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private interface Endpoint {
        Answer serve(HttpExchange exchange, JsonObject body);
    }

    private record Answer(int status, JsonObject body) {
    }

    private JsonObject error(String message) {
        return Json.createObjectBuilder().add("error", message).build();
    }

    /** One place that reads a JSON body and turns the library's exceptions into answers. */
    private void handle(HttpExchange exchange, Endpoint endpoint) throws IOException {
        Answer answer;
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                answer = new Answer(405, error("POST only"));
            } else {
                answer = endpoint.serve(exchange, readBody(exchange));
            }
        } catch (JsonException | ClassCastException | NullPointerException | IllegalArgumentException | java.time.DateTimeException e) {
            answer = new Answer(400, error("the body must be a JSON object with the documented fields"));
        } catch (InvalidInputException e) {
            JsonArrayBuilder problems = Json.createArrayBuilder();
            for (InputProblem problem : e.problems()) {
                problems.add(Json.createObjectBuilder().add("field", problem.field()).add("message", problem.message()));
            }
            answer = new Answer(400, Json.createObjectBuilder().add("error", "invalid input").add("problems", problems).build());
        } catch (InvalidCredentialsException | InvalidTokenException e) {
            answer = new Answer(401, error(e.getMessage()));
        } catch (HeroesException e) {
            answer = new Answer(409, error(e.getMessage()));
        }
        byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static JsonObject readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new JsonException("the body is too large");
            }
            return Json.createReader(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8))).readObject();
        }
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new InvalidTokenException("send Authorization: Bearer <token>");
        }
        return header.substring("Bearer ".length());
    }

    private static String text(JsonObject body, String name) {
        return body.containsKey(name) && !body.isNull(name) ? body.getString(name) : null;
    }

    private static Integer number(JsonObject body, String name) {
        return body.containsKey(name) && !body.isNull(name) ? body.getInt(name) : null;
    }

    private Answer register(HttpExchange exchange, JsonObject body) {
        NewFacilitator account = new NewFacilitator(text(body, "email"), text(body, "password"), text(body, "display_name"),
                NewFacilitator.FACILITATOR);
        UUID id = heroes.accounts().register(account, ClientInfo.unknown());
        return new Answer(201, Json.createObjectBuilder().add("id", id.toString()).add("email", account.email()).build());
    }

    private Answer login(HttpExchange exchange, JsonObject body) {
        TokenPair tokens = heroes.accounts().login(body.getString("email"), body.getString("password"), ClientInfo.unknown());
        return new Answer(200, Json.createObjectBuilder().add("access_token", tokens.accessToken()).build());
    }

    private Answer createClassroom(HttpExchange exchange, JsonObject body) {
        AuthenticatedFacilitator who = heroes.accounts().authenticate(bearer(exchange));
        Classroom room = heroes.classrooms().create(who, NewClassroom.of(text(body, "name"), number(body, "grade_level"),
                number(body, "max_students")));
        return new Answer(201, Json.createObjectBuilder().add("id", room.id().toString()).add("classroom_code", room.classroomCode()).build());
    }

    private Answer join(HttpExchange exchange, JsonObject body) {
        JoinRequest request = JoinRequest.of(text(body, "classroom_code"), text(body, "age_range"), number(body, "grade_level"));
        JoinedStudent joined = heroes.students().join(request.classroomCode(), request.demographics(),
                exchange.getRemoteAddress().getAddress(), UUID.randomUUID().toString());
        return new Answer(201, Json.createObjectBuilder().add("student_token", joined.token()).build());
    }

    private Answer progress(HttpExchange exchange, JsonObject body) {
        AuthenticatedStudent student = heroes.students().authenticate(bearer(exchange), UUID.randomUUID().toString());
        List<ProgressItem> items = new ArrayList<>();
        for (JsonValue value : body.getJsonArray("items")) {
            JsonObject item = value.asJsonObject();
            items.add(new ProgressItem(item.getString("idempotency_key"), item.getInt("lesson_number"),
                    UUID.fromString(item.getString("content_id")), ProgressStatus.parse(item.getString("status")), number(item, "time_spent_seconds"),
                    Instant.parse(item.getString("client_timestamp"))));
        }
        JsonArrayBuilder results = Json.createArrayBuilder();
        for (ItemResult result : heroes.activity().recordProgress(student, items)) {
            JsonObjectBuilder one = Json.createObjectBuilder().add("index", result.index()).add("status", result.status().wire());
            if (result.problem() != null) {
                one.add("problem", result.problem());
            }
            results.add(one);
        }
        return new Answer(200, Json.createObjectBuilder().add("results", results).build());
    }
}
