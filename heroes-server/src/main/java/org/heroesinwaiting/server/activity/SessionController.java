package org.heroesinwaiting.server.activity;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.activity.ClassroomSession;
import org.heroesinwaiting.core.activity.ClassroomSessions;
import org.heroesinwaiting.core.activity.LessonNote;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.FieldError;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * Lessons taught in a facilitator's classrooms ({@code /api/v1/classrooms/{id}/sessions}) and a
 * facilitator's own notes on a lesson ({@code /api/v1/lessons/{n}/notes}).
 */
public final class SessionController implements Controller {

    private static final String SESSIONS = "/api/v1/classrooms/{id}/sessions";

    private final ClassroomSessions sessions;
    private final long maxBodyBytes;

    /**
     * @param sessions the sessions and notes
     * @param maxBodyBytes the largest body accepted
     */
    public SessionController(ClassroomSessions sessions, long maxBodyBytes) {
        this.sessions = requireNonNull(sessions, "sessions");
        this.maxBodyBytes = maxBodyBytes;
    }

    record Start(Integer lessonNumber) {
    }

    record Note(String notes, UUID classroomId) {
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(SESSIONS, this::start, Access.FACILITATOR);
        routes.get(SESSIONS, this::list, Access.FACILITATOR);
        routes.get(SESSIONS + "/{sid}", this::show, Access.FACILITATOR);
        routes.post(SESSIONS + "/{sid}/end", this::end, Access.FACILITATOR);
        routes.post("/api/v1/lessons/{number}/notes", this::addNote, Access.FACILITATOR);
        routes.get("/api/v1/lessons/{number}/notes", this::notes, Access.FACILITATOR);
    }

    private void start(Context ctx) {
        UUID classroom = Lists.id(ctx, "id");
        Start body = Json.read(ctx, Start.class, maxBodyBytes);
        if (body.lessonNumber() == null || body.lessonNumber() < 1 || body.lessonNumber() > 12) {
            throw ProblemException.validation(List.of(new FieldError("/lesson_number", "must be 1 to 12")));
        }
        ClassroomSession started = sessions.start(Authentication.facilitator(ctx), classroom, body.lessonNumber());
        ctx.status(201).header("Location", "/api/v1/classrooms/" + classroom + "/sessions/" + started.id()).json(started);
    }

    private void list(Context ctx) {
        UUID classroom = Lists.id(ctx, "id");
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> sessions.list(Authentication.facilitator(ctx), classroom, limit, ctx.queryParam("cursor"))));
    }

    private void show(Context ctx) {
        UUID classroom = Lists.id(ctx, "id");
        UUID session = Lists.id(ctx, "sid");
        ctx.json(sessions.find(Authentication.facilitator(ctx), classroom, session)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no session " + session + " in this classroom")));
    }

    private void end(Context ctx) {
        UUID classroom = Lists.id(ctx, "id");
        UUID session = Lists.id(ctx, "sid");
        try {
            ctx.json(sessions.end(Authentication.facilitator(ctx), classroom, session));
        } catch (ClassroomNotFoundException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no session " + session + " in this classroom");
        }
    }

    private void addNote(Context ctx) {
        int lesson = Lists.number(ctx, "number");
        Note body = Json.read(ctx, Note.class, maxBodyBytes);
        LessonNote note = sessions.addNote(Authentication.facilitator(ctx), lesson, body.classroomId(), body.notes());
        ctx.status(201).header("Location", "/api/v1/lessons/" + lesson + "/notes").json(note);
    }

    private void notes(Context ctx) {
        int lesson = Lists.number(ctx, "number");
        ctx.json(Lists.page(() -> new Page<>(sessions.notes(Authentication.facilitator(ctx), lesson), null)));
    }
}
