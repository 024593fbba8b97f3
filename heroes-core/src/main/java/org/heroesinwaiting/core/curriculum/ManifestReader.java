package org.heroesinwaiting.core.curriculum;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a curriculum manifest, reporting every problem with its JSONPath rather than
 * stopping at the first. Unknown properties are problems too: a misspelt {@code "ofline"} would
 * otherwise be silently ignored.
 *
 * <pre>{@code
 * CurriculumManifest manifest = ManifestReader.read(Files.readAllBytes(file)); // or InvalidCurriculumException
 * }</pre>
 */
public final class ManifestReader {

    /** The content types a lesson item may have. */
    public static final List<String> CONTENT_TYPES = List.of("video", "activity", "handout", "discussion_guide", "assessment");

    /** How deep a manifest may nest: it needs 5 levels; a document of 100,000 brackets is an attack. */
    public static final int MAX_DEPTH = 16;
    /** The longest number a manifest may hold, in characters. */
    public static final int MAX_NUMBER_LENGTH = 20;

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** A content file: relative, segments of letters, digits, dot, dash and underscore, no "..". */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MIME = Pattern.compile("[a-z]+/[a-z0-9.+-]+");
    static final Set<String> ROOT = Set.of("format", "curriculum_version", "lessons");
    static final Set<String> LESSON = Set.of("lesson_number", "title", "description", "objectives", "duration_minutes", "content",
            "questions");
    static final Set<String> CONTENT = Set.of("key", "content_type", "title", "order", "file", "streaming_url", "mime_type",
            "size_bytes", "sha256", "offline");
    static final Set<String> QUESTION = Set.of("id", "prompt", "options");

    private final List<ManifestProblem> problems = new ArrayList<>();

    private ManifestReader() {
    }

    /**
     * @param json the manifest's bytes (UTF-8)
     * @return the manifest
     * @throws InvalidCurriculumException listing every problem
     */
    public static CurriculumManifest read(byte[] json) {
        Reading reading = readAll(json);
        if (!reading.problems().isEmpty()) {
            throw new InvalidCurriculumException(reading.problems());
        }
        return reading.manifest();
    }

    /**
     * What a read found: the manifest as far as it could be read (its broken parts left out or
     * {@code null}, so that its files can still be checked) and every problem.
     *
     * @param manifest the manifest as read, or {@code null} when the bytes are not a JSON object
     * @param problems every problem; none: {@code manifest} is valid
     */
    public record Reading(CurriculumManifest manifest, List<ManifestProblem> problems) {

        /** Copies. */
        public Reading {
            problems = List.copyOf(problems);
        }
    }

    /**
     * @param json the manifest's bytes (UTF-8)
     * @return the manifest as far as it reads, and every problem
     */
    public static Reading readAll(byte[] json) {
        String tooComplex = JsonShape.firstExcess(json, MAX_DEPTH, MAX_NUMBER_LENGTH);
        if (tooComplex != null) {
            return new Reading(null, List.of(new ManifestProblem("$", tooComplex)));
        }
        JsonObject root;
        try (JsonParser parser = Json.createParser(new ByteArrayInputStream(json))) {
            if (!parser.hasNext()) {
                return new Reading(null, List.of(new ManifestProblem("$", "is empty: a JSON object is expected")));
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                return new Reading(null, List.of(new ManifestProblem("$", "is followed by more than one JSON document")));
            }
            if (!(value instanceof JsonObject object)) {
                return new Reading(null, List.of(new ManifestProblem("$", "must be a JSON object")));
            }
            root = object;
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return new Reading(null, List.of(new ManifestProblem("$", "is not JSON: " + e.getMessage())));
        }
        ManifestReader reader = new ManifestReader();
        CurriculumManifest manifest = reader.manifest(root, ContentFiles.sha256(json));
        return new Reading(manifest, reader.problems);
    }

    private CurriculumManifest manifest(JsonObject root, String sha256) {
        unknown(root, ROOT, "$");
        Integer format = integer(root, "format", "$", true);
        if (format != null && format != CurriculumManifest.FORMAT) {
            problem("$.format", "must be " + CurriculumManifest.FORMAT + " (this library reads format " + CurriculumManifest.FORMAT + ")");
        }
        String version = text(root, "curriculum_version", "$", true, 64);
        List<CurriculumManifest.Lesson> lessons = new ArrayList<>();
        JsonArray array = array(root, "lessons", "$", true);
        if (array != null) {
            Set<Integer> numbers = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                String path = "$.lessons[" + i + "]";
                if (!(array.get(i) instanceof JsonObject lesson)) {
                    problem(path, "must be an object");
                    continue;
                }
                CurriculumManifest.Lesson read = lesson(lesson, path);
                if (read.number() >= 1 && read.number() <= CurriculumManifest.LESSONS && !numbers.add(read.number())) {
                    problem(path + ".lesson_number", "lesson " + read.number() + " appears twice");
                }
                lessons.add(read);
            }
            for (int number = 1; number <= CurriculumManifest.LESSONS; number++) {
                if (!numbers.contains(number)) {
                    problem("$.lessons", "lesson " + number + " is missing: a curriculum has lessons 1 to " + CurriculumManifest.LESSONS);
                }
            }
        }
        return new CurriculumManifest(version, lessons, sha256);
    }

    private CurriculumManifest.Lesson lesson(JsonObject lesson, String path) {
        unknown(lesson, LESSON, path);
        Integer number = integer(lesson, "lesson_number", path, true);
        if (number != null && (number < 1 || number > CurriculumManifest.LESSONS)) {
            problem(path + ".lesson_number", "must be 1 to " + CurriculumManifest.LESSONS + ", not " + number);
        }
        String title = text(lesson, "title", path, true, 200);
        String description = text(lesson, "description", path, false, 4000);
        List<String> objectives = strings(lesson, "objectives", path, 0, 20, 500);
        Integer duration = integer(lesson, "duration_minutes", path, false);
        if (duration != null && (duration < 5 || duration > 240)) {
            problem(path + ".duration_minutes", "must be 5 to 240");
        }
        JsonArray items = array(lesson, "content", path, true);
        if (items != null && (items.isEmpty() || items.size() > 20)) {
            problem(path + ".content", "must hold 1 to 20 items");
        }
        List<CurriculumManifest.Content> content = objects(items, path + ".content", "key", this::content, CurriculumManifest.Content::key);
        JsonArray asked = array(lesson, "questions", path, false);
        if (asked != null && asked.size() > 10) {
            problem(path + ".questions", "must hold at most 10 questions");
        }
        List<CurriculumManifest.Question> questions = objects(asked, path + ".questions", "id", this::question,
                CurriculumManifest.Question::id);
        return new CurriculumManifest.Lesson(number == null ? 0 : number, title, description, objectives, duration == null ? 45 : duration,
                content, questions);
    }

    /**
     * Reads each object of an array, reporting what is no object and an identifier used twice.
     *
     * @param array the array, or {@code null} when absent (already reported if required)
     * @param path the array's path
     * @param idName the identifier's property, for the report
     * @param read reads one object at its path
     * @param idOf its identifier, or {@code null} when it had none
     */
    private <T> List<T> objects(JsonArray array, String path, String idName, java.util.function.BiFunction<JsonObject, String, T> read,
            java.util.function.Function<T, String> idOf) {
        List<T> values = new ArrayList<>();
        if (array == null) {
            return values;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (array.get(i) instanceof JsonObject object) {
                T value = read.apply(object, itemPath);
                String id = idOf.apply(value);
                if (id != null && !ids.add(id)) {
                    problem(itemPath + "." + idName, "\"" + id + "\" appears twice in this lesson");
                }
                values.add(value);
            } else {
                problem(itemPath, "must be an object");
            }
        }
        return values;
    }

    private CurriculumManifest.Content content(JsonObject item, String path) {
        unknown(item, CONTENT, path);
        String key = text(item, "key", path, true, 63);
        if (key != null && !KEY.matcher(key).matches()) {
            problem(path + ".key", "must be lower-case letters, digits, - and _ (a stable identifier)");
        }
        String type = text(item, "content_type", path, true, 40);
        if (type != null && !CONTENT_TYPES.contains(type)) {
            problem(path + ".content_type", "must be one of " + String.join(", ", CONTENT_TYPES) + ", not \"" + type + "\"");
        }
        String title = text(item, "title", path, true, 200);
        Integer order = integer(item, "order", path, true);
        if (order != null && order < 0) {
            problem(path + ".order", "must be 0 or more");
        }
        String file = text(item, "file", path, false, 500);
        if (file != null && (!FILE.matcher(file).matches() || List.of(file.split("/")).contains(".."))) {
            problem(path + ".file", "must be a relative path inside the content directory: segments of letters, digits, '.', '-' "
                    + "and '_' joined by '/', without ..");
        }
        String url = text(item, "streaming_url", path, false, 500);
        if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
            problem(path + ".streaming_url", "must be an http(s) URL");
        }
        if (file == null && url == null && item.containsKey("file") == item.containsKey("streaming_url")) {
            problem(path, "needs a file or a streaming_url");
        }
        String mime = text(item, "mime_type", path, file != null, 100);
        if (mime != null && !MIME.matcher(mime).matches()) {
            problem(path + ".mime_type", "must be a media type like text/plain");
        }
        Long size = null;
        if (item.containsKey("size_bytes") || file != null) {
            JsonValue value = item.get("size_bytes");
            if (value instanceof JsonNumber number && number.isIntegral() && number.longValue() >= 0) {
                size = number.longValue();
            } else {
                problem(path + ".size_bytes", value == null ? "is required with a file" : "must be a whole number of bytes, 0 or more");
            }
        }
        String sha256 = text(item, "sha256", path, file != null, 64);
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            problem(path + ".sha256", "must be 64 lower-case hex digits");
        }
        boolean offline = true;
        if (item.containsKey("offline")) {
            JsonValue value = item.get("offline");
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                offline = value == JsonValue.TRUE;
            } else {
                problem(path + ".offline", "must be true or false");
            }
        }
        if (offline && file == null && url != null) {
            offline = false; // a stream cannot be downloaded ahead
            if (item.get("offline") == JsonValue.TRUE) {
                problem(path + ".offline", "needs a file: a streaming URL cannot be downloaded for offline use");
            }
        }
        return new CurriculumManifest.Content(key, type, title, order == null ? 0 : order, file, url, mime, size, sha256, offline);
    }

    private CurriculumManifest.Question question(JsonObject question, String path) {
        unknown(question, QUESTION, path);
        String id = text(question, "id", path, true, 63);
        if (id != null && !KEY.matcher(id).matches()) {
            problem(path + ".id", "must be lower-case letters, digits, - and _ (a stable identifier)");
        }
        String prompt = text(question, "prompt", path, true, 500);
        List<String> options = strings(question, "options", path, 2, 10, 100);
        if (new HashSet<>(options).size() != options.size()) {
            problem(path + ".options", "must not repeat an option");
        }
        for (int i = 0; i < options.size(); i++) {
            if (!KEY.matcher(options.get(i)).matches()) {
                problem(path + ".options[" + i + "]", "must be an identifier (lower-case letters, digits, - and _): answers store it");
            }
        }
        if (!question.containsKey("options")) {
            problem(path + ".options", "is required");
        }
        return new CurriculumManifest.Question(id, prompt, options);
    }

    private void unknown(JsonObject object, Set<String> known, String path) {
        for (String name : object.keySet()) {
            if (!known.contains(name)) {
                problem(path + "." + name, "is not a property of this format");
            }
        }
    }

    private String text(JsonObject object, String name, String path, boolean required, int maxLength) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            if (required) {
                problem(path + "." + name, "is required");
            }
            return null;
        }
        if (!(value instanceof JsonString string)) {
            problem(path + "." + name, "must be a string");
            return null;
        }
        String text = string.getString();
        if (text.isBlank() || text.length() > maxLength) {
            problem(path + "." + name, "must have 1 to " + maxLength + " characters");
            return null;
        }
        return text;
    }

    private Integer integer(JsonObject object, String name, String path, boolean required) {
        JsonValue value = object.get(name);
        if (value == null) {
            if (required) {
                problem(path + "." + name, "is required");
            }
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            problem(path + "." + name, "must be a whole number");
            return null;
        }
        try {
            return number.intValueExact();
        } catch (ArithmeticException e) {
            problem(path + "." + name, "is out of range");
            return null;
        }
    }

    private JsonArray array(JsonObject object, String name, String path, boolean required) {
        JsonValue value = object.get(name);
        if (value == null) {
            if (required) {
                problem(path + "." + name, "is required");
            }
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            problem(path + "." + name, "must be an array");
            return null;
        }
        return array;
    }

    private List<String> strings(JsonObject object, String name, String path, int min, int max, int maxLength) {
        JsonArray array = array(object, name, path, false);
        List<String> values = new ArrayList<>();
        if (array == null) {
            return values;
        }
        if (array.size() < min || array.size() > max) {
            problem(path + "." + name, "must hold " + min + " to " + max + " entries");
        }
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) instanceof JsonString string && !string.getString().isBlank() && string.getString().length() <= maxLength) {
                values.add(string.getString());
            } else {
                problem(path + "." + name + "[" + i + "]", "must be a string of 1 to " + maxLength + " characters");
            }
        }
        return values;
    }

    private void problem(String path, String message) {
        problems.add(new ManifestProblem(path, message));
    }
}
