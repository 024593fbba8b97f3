package org.heroesinwaiting.server.curriculum;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.heroesinwaiting.core.curriculum.ContentFiles;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.CurriculumSnapshot;
import org.heroesinwaiting.server.http.Json;

/**
 * The curriculum's answers, rendered once per revision: the lesson list, each lesson and the
 * offline manifest as JSON bytes with their strong ETags, and the media files by hash. A request
 * checks the database's revision at most every {@link #POLL} (one cheap query, by one request
 * while the others keep reading the rendered answers), so an import on any server instance shows
 * everywhere within that time; an import on this instance shows at once.
 */
public final class CurriculumCache {

    /** How stale the cache may be after an import on another instance. */
    public static final Duration POLL = Duration.ofSeconds(2);

    private final Curriculum curriculum;
    private final Optional<URI> mediaBase;
    private final Clock clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Rendered rendered;
    private volatile long checkedAt;

    /**
     * @param curriculum where the curriculum is
     * @param mediaBase {@code HEROES_CONTENT_BASE_URL}: where media are served from (a CDN); empty: this server's {@code /media}
     * @param clock what counts as now
     */
    public CurriculumCache(Curriculum curriculum, Optional<URI> mediaBase, Clock clock) {
        this.curriculum = requireNonNull(curriculum, "curriculum");
        this.mediaBase = requireNonNull(mediaBase, "mediaBase");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A rendered answer and its strong ETag. */
    public record Body(byte[] json, String etag) {
    }

    /**
     * Everything rendered from one revision.
     *
     * @param revision the revision
     * @param lessons the lesson list
     * @param lesson each lesson by number
     * @param offlineManifest the offline manifest
     * @param media each live file by its SHA-256
     */
    public record Rendered(long revision, Body lessons, Map<Integer, Body> lesson, Body offlineManifest,
            Map<String, CurriculumSnapshot.Content> media) {
    }

    /** @return the answers of the current revision (checked against the database at most every {@link #POLL}) */
    public Rendered current() {
        Rendered now = rendered;
        long millis = clock.millis();
        if (now == null) {
            return reload(null);
        }
        if (millis - checkedAt >= POLL.toMillis() && checking.compareAndSet(false, true)) {
            try {
                checkedAt = millis;
                if (curriculum.revision() != now.revision()) {
                    return reload(now);
                }
            } finally {
                checking.set(false);
            }
        }
        return now;
    }

    /** Forgets the answers: after an import on this instance. */
    public void invalidate() {
        rendered = null;
    }

    private synchronized Rendered reload(Rendered seen) {
        Rendered now = rendered;
        if (now != null && now != seen) {
            return now; // another thread reloaded meanwhile
        }
        CurriculumSnapshot snapshot = curriculum.snapshot();
        checkedAt = clock.millis();
        rendered = render(snapshot);
        return rendered;
    }

    private Rendered render(CurriculumSnapshot snapshot) {
        List<Map<String, Object>> list = new ArrayList<>();
        Map<Integer, Body> lessons = new HashMap<>();
        List<Map<String, Object>> offline = new ArrayList<>();
        Map<String, CurriculumSnapshot.Content> media = new HashMap<>();
        for (CurriculumSnapshot.Lesson lesson : snapshot.lessons()) {
            Map<String, Object> summary = lessonFields(lesson);
            summary.put("content_count", lesson.content().size());
            list.add(summary);
            Map<String, Object> detail = lessonFields(lesson);
            List<Map<String, Object>> items = new ArrayList<>();
            for (CurriculumSnapshot.Content item : lesson.content()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("id", item.id());
                fields.put("content_type", item.contentType());
                fields.put("title", item.title());
                fields.put("order", item.order());
                fields.put("url", url(item));
                fields.put("mime_type", item.mimeType());
                fields.put("size_bytes", item.sizeBytes());
                fields.put("sha256", item.sha256());
                fields.put("offline", item.offline());
                fields.put("updated_at", item.updatedAt());
                items.add(fields);
                if (item.sha256() != null && item.file() != null) {
                    media.putIfAbsent(item.sha256(), item);
                }
                if (item.offline() && item.sha256() != null) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("lesson_number", lesson.number());
                    entry.put("content_id", item.id());
                    entry.put("title", item.title());
                    entry.put("content_type", item.contentType());
                    entry.put("url", url(item));
                    entry.put("size_bytes", item.sizeBytes());
                    entry.put("sha256", item.sha256());
                    entry.put("mime_type", item.mimeType());
                    entry.put("updated_at", item.updatedAt());
                    offline.add(entry);
                }
            }
            detail.put("content", items);
            detail.put("questions", lesson.questions().stream().map(question -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("id", question.id());
                fields.put("prompt", question.prompt());
                fields.put("options", question.options());
                return fields;
            }).toList());
            lessons.put(lesson.number(), body(detail));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("curriculum_version", snapshot.curriculumVersion());
        manifest.put("items", offline);
        return new Rendered(snapshot.revision(), body(Map.of("items", list)), Map.copyOf(lessons), body(manifest), Map.copyOf(media));
    }

    private static Map<String, Object> lessonFields(CurriculumSnapshot.Lesson lesson) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lesson_number", lesson.number());
        fields.put("title", lesson.title());
        fields.put("description", lesson.description());
        fields.put("objectives", lesson.objectives());
        fields.put("duration_minutes", lesson.durationMinutes());
        fields.put("updated_at", lesson.updatedAt());
        return fields;
    }

    private String url(CurriculumSnapshot.Content item) {
        if (item.file() == null || item.sha256() == null) {
            return item.streamingUrl();
        }
        String path = "/media/" + item.sha256();
        return mediaBase.map(base -> base.toString().replaceAll("/+$", "") + path).orElse(path);
    }

    private static Body body(Object value) {
        byte[] json = Json.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Body(json, "\"" + ContentFiles.sha256(json).substring(0, 32) + "\"");
    }
}
