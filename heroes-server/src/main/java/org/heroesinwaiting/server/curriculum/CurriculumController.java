package org.heroesinwaiting.server.curriculum;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.core.curriculum.ImportReport;
import org.heroesinwaiting.core.curriculum.InvalidCurriculumException;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * The curriculum: lessons and the offline manifest for facilitators and students (strong ETags,
 * 304 on {@code If-None-Match}), media by hash for anyone (immutable, ranges), and the import for
 * admins ({@code POST /api/v1/admin/curriculum}).
 */
public final class CurriculumController implements Controller {

    private static final String LESSONS = "/api/v1/lessons";
    private static final String LESSON = "/api/v1/lessons/{number}";
    private static final String OFFLINE = "/api/v1/offline-manifest";
    /** The app keeps the answer but asks again each time (a 304 is cheap); shared caches keep nothing that needed a token. */
    private static final String PRIVATE_REVALIDATE = "private, no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final CurriculumCache cache;
    private final Curriculum curriculum;
    private final Path contentDir;
    private final long maxImportBytes;

    /**
     * @param cache the rendered curriculum
     * @param curriculum imports
     * @param contentDir where media files are ({@code HEROES_CONTENT_DIR})
     * @param maxImportBytes the largest manifest accepted
     */
    public CurriculumController(CurriculumCache cache, Curriculum curriculum, Path contentDir, long maxImportBytes) {
        this.cache = requireNonNull(cache, "cache");
        this.curriculum = requireNonNull(curriculum, "curriculum");
        this.contentDir = requireNonNull(contentDir, "contentDir");
        this.maxImportBytes = maxImportBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get(LESSONS, ctx -> conditional(ctx, cache.current().lessons(), PRIVATE_REVALIDATE), Access.FACILITATOR, Access.STUDENT);
        routes.get(LESSON, this::lesson, Access.FACILITATOR, Access.STUDENT);
        routes.get(OFFLINE, ctx -> conditional(ctx, cache.current().offlineManifest(), PRIVATE_REVALIDATE), Access.FACILITATOR, Access.STUDENT);
        routes.get("/media/{sha256}", this::media);
        routes.post("/api/v1/admin/curriculum", this::importManifest, Access.ADMIN);
    }


    private void lesson(Context ctx) {
        int number = Lists.number(ctx, "number");
        CurriculumCache.Body body = cache.current().lesson().get(number);
        if (body == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no lesson " + number + "; lessons are numbered 1 to 12");
        }
        conditional(ctx, body, PRIVATE_REVALIDATE);
    }

    private void media(Context ctx) throws IOException {
        String sha256 = ctx.pathParam("sha256");
        CurriculumSnapshot.Content item = SHA256.matcher(sha256).matches() ? cache.current().media().get(sha256) : null;
        Path file = item == null ? null : contentDir.resolve(item.file()).normalize();
        if (file == null || !file.startsWith(contentDir.normalize()) || !Files.isRegularFile(file)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no media file " + sha256);
        }
        String etag = "\"" + sha256 + "\"";
        ctx.header("ETag", etag).header("Cache-Control", IMMUTABLE).header("Accept-Ranges", "bytes");
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(304);
            return;
        }
        long size = Files.size(file);
        ByteRange range = ByteRange.parse(ctx.header("Range"), size);
        if (range != null && !range.satisfiable()) {
            throw new ProblemException(ProblemType.RANGE_NOT_SATISFIABLE, "the file has " + size + " bytes; ask for a range within them",
                    List.of(), java.util.Map.of("Content-Range", "bytes */" + size));
        }
        // the manifest's own type, exactly: no charset is added to a file whose encoding we were not told
        ctx.res().setCharacterEncoding(null); // Javalin sets UTF-8 on every answer; Jetty would append it to a text/* type
        ctx.header("Content-Type", item.mimeType() == null ? "application/octet-stream" : item.mimeType());
        if (range == null) {
            ctx.result(Files.newInputStream(file)); // Javalin closes it once written
            return;
        }
        InputStream in = Files.newInputStream(file); // Javalin closes it once written
        in.skipNBytes(range.first());
        ctx.status(206).header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size)
                .result(new BoundedInputStream(in, range.length()));
    }

    private void importManifest(Context ctx) {
        Json.requireJson(ctx.header("Content-Type"));
        byte[] body = Json.body(ctx, maxImportBytes);
        if (body.length > maxImportBytes) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "a curriculum manifest is at most " + maxImportBytes + " bytes");
        }
        Json.syntax(body); // one JSON document within the API's limits, before the manifest's own checks
        ImportReport report;
        try {
            // the admin guard has run; the database takes the role from the account, not the token
            report = curriculum.importFile(Authentication.facilitator(ctx).actor(), body, contentDir);
        } catch (InvalidCurriculumException e) {
            throw new ProblemException(ProblemType.IMPORT_INVALID, e.getMessage(),
                    e.problems().stream().map(problem -> new FieldError(problem.path(), problem.message())).toList(), java.util.Map.of());
        }
        cache.invalidate();
        ctx.json(report);
    }

    private static void conditional(Context ctx, CurriculumCache.Body body, String cacheControl) {
        ctx.header("ETag", body.etag()).header("Cache-Control", cacheControl).header("Vary", "Authorization");
        if (matches(ctx.header("If-None-Match"), body.etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(body.json());
    }

    /** RFC 9110 13.1.2: a list of entity tags, or *, compared weakly. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : List.of(ifNoneMatch.split(","))) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
