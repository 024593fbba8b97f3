package org.heroesinwaiting.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.testtools.JavalinTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.RawHttp.Answer;
import org.heroesinwaiting.server.support.RawHttp;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A robustness run of our own over {@code openapi.yaml}, with a fixed seed: for every operation it
 * derives a valid request from the spec, then breaks one thing at a time (each property null, of
 * the wrong type, missing, out of range, an odd string; unknown properties; bodies that are not
 * JSON, nest too deep, hold huge numbers or trail garbage; wrong media types and charsets; an
 * oversize body; bad path and query parameters; no, forged and wrong-kind tokens; HEAD for GET).
 * Every answer must be below 500, documented for its operation, a problem document with a request
 * id when it is an error, and valid against the spec's schema; what breaks a constraint must be
 * refused. Last, the valid request itself must succeed, which proves the derivation right.
 */
class OpenApiRobustnessTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final long SEED = 20_261_204L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] ODD_STRINGS = {"", " ", "\u202Eevil", "😀".repeat(50), "'; DROP TABLE classrooms; --", "<script>", "x".repeat(5_000),
        "\u0000", "\uD800", "a\uDC00b", "%00", "../../etc/passwd", "null", "\t\n"};

    /** One wrong request and whether it must be refused (a 4xx), or only must not break anything. */
    private record Case(String what, String method, String path, List<String> headers, byte[] body, boolean mustRefuse, boolean itemRejected) {
        Case(String what, String method, String path, List<String> headers, byte[] body, boolean mustRefuse) {
            this(what, method, path, headers, body, mustRefuse, false);
        }
    }

    /** What one operation needs to be called by someone allowed to. */
    private record Caller(String token, Map<String, String> pathValues, String classroomCode, UUID contentId) {
    }

    @Test
    void everyOperationAnswersEveryBrokenRequestWithADocumentedProblem(DataSource app, @Owner Jdbi owner, TestDatabase database,
            @TempDir Path backups) throws Exception {
        OpenAPI api = spec();
        MutableClock clock = MutableClock.startingNow();
        List<String> failures = new ArrayList<>();
        int[] sent = {0};
        try (Heroes heroes = TestHeroes.on(app, clock, TestHeroes.withBackups(
                TestHeroes.settings().withHashing(1, 64).withPasswordHasher(AuthApps.cheapHasher()), database, backups))) {
            // a backup that succeeded, for the routes of one backup
            long backupId = heroes.port(BackupService.class).run(BackupRequest.manual(BackupKind.FULL)).id();
            // a request an admin may approve: the restore of a table from that backup, adding missing rows only
            long recoveryId = owner.withHandle(handle -> handle.createQuery(
                    "SELECT initiate_recovery('table_restore', :backup, NULL, ARRAY['facilitators'], 'add-missing')").bind("backup", backupId)
                    .mapTo(Long.class).one());
            FacilitatorAccounts accounts = heroes.accounts();
            Curriculum curriculum = heroes.curriculum();
            curriculum.importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
            UUID contentId = curriculum.snapshot().lesson(1).orElseThrow().content().get(0).id();
            // the fixture's files where the server looks, so the import and the media have them
            CurriculumFixtures.writeContent(org.heroesinwaiting.server.HeroesServer.contentDir(TestApps.config(Map.of())));
            String mediaHash = curriculum.snapshot().lesson(1).orElseThrow().content().stream()
                    .filter(item -> item.file() != null).findFirst().orElseThrow().sha256();
            Random random = new Random(SEED);
            JavalinTest.test(TestApps.production(heroes), (server, client) -> {
                int port = server.port();
                int n = 0;
                for (Map.Entry<String, PathItem> path : new java.util.TreeMap<>(api.getPaths()).entrySet()) {
                    for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                        String method = entry.getKey().name();
                        Operation operation = entry.getValue();
                        Caller caller = caller(port, path.getKey(), accounts, owner, contentId, n++);
                        caller.pathValues().put("sha256", mediaHash);
                        if (path.getKey().startsWith("/api/v1/admin/backups/")) {
                            caller.pathValues().put("id", Long.toString(backupId));
                        }
                        if (path.getKey().startsWith("/api/v1/admin/recoveries/")) {
                            caller.pathValues().put("id", Long.toString(recoveryId));
                        }
                        String target = fill(path.getKey(), caller.pathValues()) + requiredQuery(operation, null);
                        ObjectNode body = requestSchema(operation) == null ? null : (ObjectNode) valid(requestSchema(operation), caller, "");
                        if (path.getKey().equals("/api/v1/admin/curriculum")) {
                            body = (ObjectNode) JSON.readTree(CurriculumFixtures.manifest());
                        }
                        for (Case wrong : cases(method, path.getKey(), target, operation, body, caller, random)) {
                            Answer answer = RawHttp.send(port, wrong.method(), wrong.path(), wrong.headers().toArray(String[]::new), wrong.body());
                            sent[0]++;
                            check(failures, operation, method + " " + path.getKey() + " [" + wrong.what() + "]", wrong, answer);
                        }
                        {
                            // a fresh email: a case that only had to not break anything may have created the first one
                            ObjectNode validBody = body == null ? null : body.deepCopy();
                            if (validBody != null && validBody.has("email") && !path.getKey().equals("/api/v1/auth/login")) {
                                validBody.put("email", "valid-" + validBody.get("email").asText());
                            }
                            if (path.getKey().startsWith("/api/v1/admin/backups")) {
                                awaitNoBackupWork(owner); // a broken request that still started one must not make the valid one a 409
                            }
                            // a broken request that changed the password (an odd but acceptable new one) must not spoil the valid one
                            String validToken = path.getKey().equals("/api/v1/me/password")
                                    ? caller(port, path.getKey(), accounts, owner, contentId, n++).token() : caller.token();
                            Case valid = new Case("the valid request", method, target, headers(validToken, body != null), bytes(validBody), false);
                            Answer answer = RawHttp.send(port, method, target, valid.headers().toArray(String[]::new), valid.body());
                            check(failures, operation, method + " " + path.getKey() + " [valid]", valid, answer);
                            if (answer.status() >= 300 && answer.status() != 304) {
                                failures.add(method + " " + path.getKey() + " [valid]: the derived valid request answered " + answer.status()
                                        + " " + answer.text());
                            }
                        }
                    }
                }
            });
        }
        assertThat(sent[0]).as("requests sent").isGreaterThan(500);
        assertThat(failures).isEmpty();
    }

    /** Waits until no backup and no verification runs (a drill of the test database takes seconds). */
    private static void awaitNoBackupWork(Jdbi owner) throws InterruptedException {
        for (int i = 0; i < 1200 && owner.withHandle(handle -> handle.createQuery("""
                SELECT (SELECT count(*) FROM backup_log WHERE status = 'running') + (SELECT count(*) FROM recovery_log WHERE status = 'running')""")
                .mapTo(Long.class).one()) > 0; i++) {
            Thread.sleep(100);
        }
    }

    private static void check(List<String> failures, Operation operation, String label, Case wrong, Answer answer) {
        int status = answer.status();
        if (status >= 500) {
            failures.add(label + ": " + status + " " + answer.text());
            return;
        }
        String documented = String.valueOf(status);
        if (!operation.getResponses().containsKey(documented) && !(status == 304 && wrong.method().equals("HEAD"))) {
            failures.add(label + ": status " + status + " is not documented (" + operation.getResponses().keySet() + ") " + abbreviate(answer.text()));
        }
        if (wrong.mustRefuse() && status < 400) {
            failures.add(label + ": accepted with " + status + " " + abbreviate(answer.text()));
        }
        if (wrong.itemRejected() && status == 200 && !answer.text().contains("\"status\":\"rejected\"")) {
            failures.add(label + ": the broken item was not rejected: " + abbreviate(answer.text()));
        }
        if (answer.header("X-Request-Id") == null) {
            failures.add(label + ": no X-Request-Id");
        }
        if (wrong.method().equals("HEAD")) {
            if (answer.body().length > 0) {
                failures.add(label + ": HEAD answered a body");
            }
            return;
        }
        if (status >= 400) {
            try {
                JsonNode problem = JSON.readTree(answer.body());
                if (!String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json")) {
                    failures.add(label + ": error as " + answer.header("Content-Type"));
                }
                for (String field : new String[] {"type", "title", "status", "detail", "instance", "request_id"}) {
                    if (!problem.hasNonNull(field)) {
                        failures.add(label + ": problem without " + field + ": " + abbreviate(answer.text()));
                    }
                }
                if (!problem.path("request_id").asText().equals(answer.header("X-Request-Id"))) {
                    failures.add(label + ": request_id differs from X-Request-Id");
                }
            } catch (java.io.IOException e) {
                failures.add(label + ": error body is not JSON: " + abbreviate(answer.text()));
            }
            return;
        }
        ApiResponse response = operation.getResponses().get(documented);
        if (response == null || response.getContent() == null || answer.body().length == 0) {
            return;
        }
        MediaType media = response.getContent().get("application/json");
        if (media != null && media.getSchema() != null) {
            try {
                List<String> problems = new ArrayList<>();
                validate(media.getSchema(), JSON.readTree(answer.body()), "", problems);
                problems.forEach(problem -> failures.add(label + ": answer does not match the spec at " + problem));
            } catch (java.io.IOException e) {
                failures.add(label + ": answer is not JSON: " + abbreviate(answer.text()));
            }
        }
    }

    /** A fresh account (and classroom, student, session) for each operation, so that no call spoils another's. */
    private static Caller caller(int port, String path, FacilitatorAccounts accounts, Jdbi owner, UUID contentId, int n)
            throws Exception {
        boolean adminRoute = path.startsWith("/api/v1/admin");
        String token = AuthApps.tokenOf(accounts, "op" + n + "@school.example", adminRoute ? "admin" : "facilitator");
        Answer created = RawHttp.send(port, "POST", "/api/v1/classrooms", headers(token, true).toArray(String[]::new),
                "{\"name\": \"Room\", \"grade_level\": 5}".getBytes(StandardCharsets.UTF_8));
        JsonNode room = JSON.readTree(created.body());
        String classroomId = room.path("id").asText(UUID.randomUUID().toString());
        String code = room.path("classroom_code").asText("ABCDEFGH");
        Answer joined = RawHttp.send(port, "POST", "/api/v1/student/join", headers(null, true).toArray(String[]::new),
                ("{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5}").getBytes(StandardCharsets.UTF_8));
        String student = JSON.readTree(joined.body()).path("student_token").asText();
        Answer started = RawHttp.send(port, "POST", "/api/v1/classrooms/" + classroomId + "/sessions", headers(token, true).toArray(String[]::new),
                "{\"lesson_number\": 2}".getBytes(StandardCharsets.UTF_8));
        String sessionId = JSON.readTree(started.body()).path("id").asText(UUID.randomUUID().toString());
        Answer mine = RawHttp.send(port, "GET", "/api/v1/me/sessions", headers(token, false).toArray(String[]::new), null);
        String ownSession = JSON.readTree(mine.body()).path("items").path(0).path("id").asText(UUID.randomUUID().toString());
        Answer students = RawHttp.send(port, "GET", "/api/v1/classrooms/" + classroomId + "/students", headers(token, false).toArray(String[]::new), null);
        String studentId = JSON.readTree(students.body()).path("items").path(0).path("id").asText(UUID.randomUUID().toString());

        if (path.equals("/api/v1/classrooms/{id}/sessions")) { // one open at a time: leave none open for the start
            RawHttp.send(port, "POST", "/api/v1/classrooms/" + classroomId + "/sessions/" + sessionId + "/end",
                    headers(token, false).toArray(String[]::new), null);
        }
        String other = owner.withHandle(handle -> handle.createQuery("""
                INSERT INTO facilitators (email, password_hash, display_name) VALUES (:email, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'O')
                RETURNING id""").bind("email", "other" + n + "@school.example").mapTo(String.class).one());
        String incident = owner.withHandle(handle -> handle.createQuery(
                "INSERT INTO security_incidents (incident_type, severity, description) VALUES ('robustness', 'low', 'a test') RETURNING id")
                .mapTo(String.class).one());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("id", path.startsWith("/api/v1/me/sessions") ? ownSession
                : path.startsWith("/api/v1/admin/facilitators") ? other
                : path.startsWith("/api/v1/admin/security-incidents") ? incident : classroomId);
        values.put("sid", path.contains("/students/") ? studentId : sessionId);
        values.put("number", "1");
        values.put("sha256", "0".repeat(64));
        values.put("slug", "malformed-json");
        values.put("view", "lesson-completion");
        String callerToken = path.startsWith("/api/v1/student/") && !path.endsWith("/join") ? student
                : Set.of("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/student/join", "/health", "/metrics",
                        "/openapi.yaml", "/problems/{slug}", "/media/{sha256}").contains(path) ? null : token;
        if (path.equals("/api/v1/auth/refresh")) {
            values.put("refresh", accounts.login("op" + n + "@school.example", AuthApps.PASSWORD,
                    org.heroesinwaiting.core.auth.ClientInfo.unknown()).refreshToken());
        }
        values.put("email", "op" + n + "@school.example");
        if (path.equals("/api/v1/auth/login")) {
            values.put("login", "yes"); // the body names the account that exists
        }
        return new Caller(callerToken, values, code, contentId);
    }

    private static String fill(String template, Map<String, String> values) {
        String filled = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace("{" + value.getKey() + "}", value.getValue());
        }
        return filled;
    }

    private static Schema<?> requestSchema(Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return null;
        }
        MediaType media = operation.getRequestBody().getContent().get("application/json");
        return media == null ? null : media.getSchema();
    }

    /** A valid value of a schema, with the values this caller's operation needs. */
    private static JsonNode valid(Schema<?> schema, Caller caller, String name) {
        String type = type(schema);
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return NODES.textNode(String.valueOf(schema.getEnum().get(schema.getEnum().size() - 1)));
        }
        switch (name) {
            case "email": return NODES.textNode((caller.pathValues().containsKey("login") ? "" : "new-")
                    + caller.pathValues().get("email"));
            case "password", "current_password": return NODES.textNode(AuthApps.PASSWORD);
            case "new_password": return NODES.textNode(AuthApps.PASSWORD + " again");
            case "refresh_token": return NODES.textNode(caller.pathValues().getOrDefault("refresh", "x"));
            case "classroom_code": return NODES.textNode(caller.classroomCode());
            case "content_id": return NODES.textNode(caller.contentId().toString());
            case "age_range": return NODES.textNode("10-11");
            case "lesson_number": return NODES.numberNode(1);
            case "answers": return NODES.objectNode();
            case "classroom_id": return NODES.textNode(caller.pathValues().get("id"));
            case "classroom_session_id", "device_info": return null;
            default: break;
        }
        switch (type) {
            case "object": {
                ObjectNode object = NODES.objectNode();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((property, child) -> {
                        JsonNode value = valid(child, caller, property);
                        if (value != null) {
                            object.set(property, value);
                        }
                    });
                }
                return object;
            }
            case "array": {
                ArrayNode array = NODES.arrayNode();
                array.add(valid(schema.getItems(), caller, name + "[]"));
                return array;
            }
            case "integer", "number": {
                long low = schema.getMinimum() == null ? 1 : schema.getMinimum().longValue();
                long high = schema.getMaximum() == null ? low + 10 : schema.getMaximum().longValue();
                return NODES.numberNode(Math.max(low, Math.min(high, 5)));
            }
            case "boolean": return NODES.booleanNode(true);
            default: {
                if ("uuid".equals(schema.getFormat())) {
                    return NODES.textNode(UUID.randomUUID().toString());
                }
                if ("date-time".equals(schema.getFormat())) {
                    return NODES.textNode(Instant.now().plusSeconds(name.equals("code_expires_at") ? 86_400 : -60).toString());
                }
                int min = schema.getMinLength() == null ? 1 : schema.getMinLength();
                return NODES.textNode("Valid text".repeat(Math.max(1, min / 10 + 1)).substring(0, Math.max(min, 10)));
            }
        }
    }

    private static String type(Schema<?> schema) {
        if (schema.getTypes() != null) {
            for (String type : schema.getTypes()) {
                if (!type.equals("null")) {
                    return type;
                }
            }
        }
        return schema.getType() == null ? (schema.getProperties() != null ? "object" : "string") : schema.getType();
    }

    private static boolean nullable(Schema<?> schema) {
        return schema.getTypes() != null && schema.getTypes().contains("null");
    }

    /**
     * The operation's required query parameters with valid values ({@code ?from=2000-01-01&to=2999-12-31}),
     * but the one named {@code except}.
     */
    private static String requiredQuery(Operation operation, String except) {
        StringBuilder query = new StringBuilder();
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if ("query".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired()) && !parameter.getName().equals(except)) {
                    String value = "date".equals(parameter.getSchema().getFormat())
                            ? (parameter.getName().equals("to") ? "2999-12-31" : "2000-01-01")
                            : "x";
                    query.append(query.length() == 0 ? '?' : '&').append(parameter.getName()).append('=').append(value);
                }
            }
        }
        return query.toString();
    }

    /** Every way to get this operation wrong, each breaking one thing of an otherwise valid request. */
    private static List<Case> cases(String method, String template, String target, Operation operation, ObjectNode body, Caller caller,
            Random random) {
        List<Case> cases = new ArrayList<>();
        boolean hasBody = body != null;
        Schema<?> schema = requestSchema(operation);
        if (hasBody) {
            mutations(schema, body, "", cases, method, target, caller, random, isBatch(template));
            for (String text : new String[] {"{", "[]", "null", "\"x\"", "", "{\"a\": 1} trailing", "[".repeat(100_000), "{\"a\":".repeat(20_000),
                "{\"a\": 1" + "2".repeat(5_000) + "}", "{\"a\": \"\\ud800\"}"}) {
                cases.add(new Case("body " + abbreviate(text), method, target, headers(caller.token(), true), text.getBytes(StandardCharsets.UTF_8), true));
            }
            byte[] valid = bytes(body);
            for (String contentType : new String[] {"text/plain", "application/jsonx", "application/json; charset=klingon",
                "application/json; charset=iso-8859-1", "application/xml", "multipart/form-data; boundary=x"}) {
                List<String> headers = new ArrayList<>(headers(caller.token(), false));
                headers.add("Content-Type: " + contentType);
                cases.add(new Case("content type " + contentType, method, target, headers, valid, true));
            }
            cases.add(new Case("no content type", method, target, headers(caller.token(), false), valid, true));
            byte[] huge = new byte[(1 << 20) + 10];
            java.util.Arrays.fill(huge, (byte) ' ');
            huge[0] = '{';
            huge[huge.length - 1] = '}';
            List<String> expecting = new ArrayList<>(headers(caller.token(), true));
            expecting.add("Expect: 100-continue");
            cases.add(new Case("oversize body", method, target, expecting, huge, true));
            cases.add(new Case("broken chunking", method, target, chunked(caller.token()), "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    true));
        }
        byte[] validBody = bytes(body);
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if ("path".equals(parameter.getIn())) {
                    for (String bad : new String[] {"not-a-uuid", "%EF%BC%91", "99999999999", "-1", "1-1-1-1-1", "%20"}) {
                        String broken = template.replace("{" + parameter.getName() + "}", bad);
                        cases.add(new Case("path " + parameter.getName() + "=" + bad, method, fill(broken, caller.pathValues()),
                                headers(caller.token(), hasBody), validBody, true));
                    }
                } else if ("query".equals(parameter.getIn())) {
                    // the other required parameters stay valid; this one is broken
                    String others = target.replaceFirst("\\?.*$", "") + requiredQuery(operation, parameter.getName());
                    for (String bad : new String[] {"0", "201", "x", "%EF%BC%91", "-5", "1.5", "%00", "2026-13-01T00:00:00Z"}) {
                        String separator = others.contains("?") ? "&" : "?";
                        boolean freeText = parameter.getName().equals("type"); // an incident type: any text filters
                        cases.add(new Case("query " + parameter.getName() + "=" + bad, method, others + separator + parameter.getName() + "=" + bad,
                                headers(caller.token(), hasBody), validBody, !freeText));
                    }
                }
            }
        }
        if (caller.token() != null) {
            for (String token : new String[] {null, "garbage", "eyJhbGciOiJub25lIn0.e30.", caller.token() + "x", "a".repeat(43),
                UUID.randomUUID().toString()}) {
                cases.add(new Case("token " + (token == null ? "none" : abbreviate(token)), method, target, headers(token, hasBody), validBody, true));
            }
        }
        if (method.equals("GET")) {
            cases.add(new Case("HEAD", "HEAD", target, headers(caller.token(), false), null, false));
        }
        Collections.shuffle(cases, random);
        return cases;
    }

    private static boolean isBatch(String template) {
        return template.equals("/api/v1/student/progress") || template.equals("/api/v1/student/feedback");
    }

    /** Each property of the body (and of a batch's item) broken in each way its schema forbids. */
    private static void mutations(Schema<?> schema, ObjectNode body, String pointer, List<Case> cases, String method, String target,
            Caller caller, Random random, boolean batch) {
        if (schema == null || schema.getProperties() == null) {
            return;
        }
        for (Map.Entry<String, Schema> entry : schema.getProperties().entrySet()) {
            String name = entry.getKey();
            Schema<?> property = entry.getValue();
            boolean required = schema.getRequired() != null && schema.getRequired().contains(name);
            List<Map.Entry<String, JsonNode>> wrongs = new ArrayList<>();
            if (!nullable(property)) {
                wrongs.add(Map.entry("null", NODES.nullNode()));
            }
            String type = type(property);
            if (!type.equals("string")) {
                wrongs.add(Map.entry("a string", NODES.textNode("5")));
            }
            if (!type.equals("integer") && !type.equals("number")) {
                wrongs.add(Map.entry("a number", NODES.numberNode(5)));
            }
            if (!type.equals("object")) {
                wrongs.add(Map.entry("an object", NODES.objectNode().put("a", 1)));
            }
            if (!type.equals("array")) {
                wrongs.add(Map.entry("an array", NODES.arrayNode().add(1)));
            }
            if (type.equals("integer")) {
                wrongs.add(Map.entry("a fraction", NODES.numberNode(1.5)));
                wrongs.add(Map.entry("a huge number", NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"))));
                if (property.getMinimum() != null) {
                    wrongs.add(Map.entry("below the minimum", NODES.numberNode(property.getMinimum().longValue() - 1)));
                }
                if (property.getMaximum() != null) {
                    wrongs.add(Map.entry("above the maximum", NODES.numberNode(property.getMaximum().longValue() + 1)));
                }
            }
            if (type.equals("string")) {
                if (property.getEnum() != null) {
                    wrongs.add(Map.entry("not in the enum", NODES.textNode("not-a-value")));
                }
                if (property.getMaxLength() != null) {
                    wrongs.add(Map.entry("too long", NODES.textNode("x".repeat(property.getMaxLength() + 1))));
                }
                if ("uuid".equals(property.getFormat())) {
                    for (String bad : new String[] {"", " ", "\u0000", UUID.randomUUID() + "\u0000", "1-1-1-1-1", "not-a-uuid"}) {
                        wrongs.add(Map.entry("uuid " + abbreviate(bad), NODES.textNode(bad)));
                    }
                }
                if ("date-time".equals(property.getFormat())) {
                    for (String bad : new String[] {"+275760-09-13T00:00:00Z", "-0044-03-15T12:00:00Z", "2026-12-01T24:00:00Z", "2026-02-30T10:00:00Z",
                        "tomorrow", "2026-12-01T10:00:00"}) {
                        wrongs.add(Map.entry("time " + bad, NODES.textNode(bad)));
                    }
                }
                wrongs.add(Map.entry("a lone surrogate", NODES.textNode("a\uD800b")));
                wrongs.add(Map.entry("a NUL", NODES.textNode("a\u0000b")));
                String odd = ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
                Case oddCase = withValue(body, pointer, name, NODES.textNode(odd), "odd string " + abbreviate(odd), method, target, caller, false, false);
                cases.add(oddCase);
            }
            // null always; of the rest, a seeded sample keeps the run within a minute
            Map.Entry<String, JsonNode> first = wrongs.get(0);
            List<Map.Entry<String, JsonNode>> rest = new ArrayList<>(wrongs.subList(1, wrongs.size()));
            Collections.shuffle(rest, random);
            List<Map.Entry<String, JsonNode>> chosen = new ArrayList<>(List.of(first));
            chosen.addAll(rest.subList(0, Math.min(4, rest.size())));
            for (Map.Entry<String, JsonNode> wrong : chosen) {
                cases.add(withValue(body, pointer, name, wrong.getValue(), name + " as " + wrong.getKey(), method, target, caller, !batch || pointer.isEmpty()));
            }
            if (required) {
                cases.add(withValue(body, pointer, name, null, name + " missing", method, target, caller, !batch || pointer.isEmpty()));
            }
            if (type.equals("array") && property.getItems() != null && property.getItems().getProperties() != null) {
                mutations(property.getItems(), body, pointer + "/" + name + "/0", cases, method, target, caller, random, batch);
            }
        }
        if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
            cases.add(withValue(body, pointer, "unknown_property", NODES.textNode("x"), "an unknown property at " + pointer, method, target, caller,
                    !batch || pointer.isEmpty()));
        }
    }

    /**
     * The body with one value replaced (null: removed). In a batch an item's fault is that item's
     * rejection, not the request's: such a case must not break anything but may answer 200, and
     * {@link #check} then finds the item rejected through the answer's schema only, so the suite
     * asserts it separately: the result must say {@code rejected}.
     */
    private static Case withValue(ObjectNode body, String pointer, String name, JsonNode value, String what, String method, String target,
            Caller caller, boolean mustRefuse) {
        return withValue(body, pointer, name, value, what, method, target, caller, mustRefuse, !mustRefuse && !pointer.isEmpty());
    }

    private static Case withValue(ObjectNode body, String pointer, String name, JsonNode value, String what, String method, String target,
            Caller caller, boolean mustRefuse, boolean itemRejected) {
        ObjectNode copy = body.deepCopy();
        JsonNode parent = pointer.isEmpty() ? copy : copy.at(pointer);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(name);
            } else {
                object.set(name, value);
            }
        }
        return new Case(what, method, target, headers(caller.token(), true), bytes(copy), mustRefuse, itemRejected);
    }

    private static List<String> headers(String token, boolean json) {
        List<String> headers = new ArrayList<>();
        if (token != null) {
            headers.add("Authorization: Bearer " + token);
        }
        if (json) {
            headers.add("Content-Type: application/json");
        }
        return headers;
    }

    private static List<String> chunked(String token) {
        List<String> headers = headers(token, true);
        headers.add("Transfer-Encoding: chunked");
        return headers;
    }

    /** The JSON text, with every UTF-16 surrogate as a \\u escape: a lone one has no UTF-8 form to send raw. */
    private static byte[] bytes(JsonNode body) {
        if (body == null) {
            return null;
        }
        String text = body.toString();
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        String printable = text.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }

    /** The parts of JSON Schema the spec uses: types (with null), required, properties, additionalProperties: false, items, enum, formats. */
    @SuppressWarnings("rawtypes")
    private static void validate(Schema<?> schema, JsonNode value, String pointer, List<String> problems) {
        if (schema == null) {
            return;
        }
        if (value.isNull()) {
            if (!nullable(schema)) {
                problems.add(pointer + ": null");
            }
            return;
        }
        String type = type(schema);
        boolean ok = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> value.isTextual();
        };
        if (!ok) {
            problems.add(pointer + ": expected " + type + ", got " + abbreviate(value.toString()));
            return;
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty() && value.isTextual()
                && schema.getEnum().stream().map(String::valueOf).noneMatch(value.asText()::equals)) {
            problems.add(pointer + ": " + value.asText() + " is not one of " + schema.getEnum());
        }
        if (value.isTextual() && "uuid".equals(schema.getFormat()) && !value.asText().matches("[0-9a-f-]{36}")) {
            problems.add(pointer + ": not a UUID");
        }
        if (value.isTextual() && "date-time".equals(schema.getFormat()) && org.heroesinwaiting.core.WireFormats.instant(value.asText()).isEmpty()) {
            problems.add(pointer + ": not an RFC 3339 time: " + value.asText());
        }
        if (value.isObject()) {
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            if (schema.getRequired() != null) {
                for (String required : schema.getRequired()) {
                    if (!value.has(required)) {
                        problems.add(pointer + ": missing " + required);
                    }
                }
            }
            value.fields().forEachRemaining(field -> {
                Schema<?> child = properties.get(field.getKey());
                if (child != null) {
                    validate(child, field.getValue(), pointer + "/" + field.getKey(), problems);
                } else if (schema.getAdditionalProperties() instanceof Schema additional) {
                    validate(additional, field.getValue(), pointer + "/" + field.getKey(), problems);
                } else if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
                    problems.add(pointer + ": unexpected property " + field.getKey());
                }
            });
        }
        if (value.isArray() && schema.getItems() != null) {
            for (int i = 0; i < value.size(); i++) {
                validate(schema.getItems(), value.get(i), pointer + "/" + i, problems);
            }
        }
    }

    private static OpenAPI spec() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIParser().readContents(new String(OpenApiController.load(), StandardCharsets.UTF_8), null, options).getOpenAPI();
        assertThat(api.getPaths()).isNotEmpty();
        return api;
    }
}
