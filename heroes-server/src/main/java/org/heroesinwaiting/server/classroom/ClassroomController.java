package org.heroesinwaiting.server.classroom;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.UUID;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.Lists;
import org.heroesinwaiting.server.http.ProblemException;
import org.heroesinwaiting.server.http.ProblemType;

/**
 * A facilitator's classrooms ({@code /api/v1/classrooms}) and their student sessions. Another
 * facilitator's classroom answers 404, exactly like one that does not exist.
 */
public final class ClassroomController implements Controller {

    private static final String CLASSROOMS = "/api/v1/classrooms";
    private static final String CLASSROOM = CLASSROOMS + "/{id}";

    private final Classrooms classrooms;
    private final long maxBodyBytes;

    /**
     * @param classrooms the classrooms
     * @param maxBodyBytes the largest body accepted
     */
    public ClassroomController(Classrooms classrooms, long maxBodyBytes) {
        this.classrooms = requireNonNull(classrooms, "classrooms");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(CLASSROOMS, this::create, Access.FACILITATOR);
        routes.get(CLASSROOMS, this::list, Access.FACILITATOR);
        routes.get(CLASSROOM, this::show, Access.FACILITATOR);
        routes.patch(CLASSROOM, this::update, Access.FACILITATOR);
        routes.delete(CLASSROOM, this::archive, Access.FACILITATOR);
        routes.post(CLASSROOM + "/code", this::regenerateCode, Access.FACILITATOR);
        routes.get(CLASSROOM + "/students", this::students, Access.FACILITATOR);
        routes.delete(CLASSROOM + "/students/{sid}", this::endStudent, Access.FACILITATOR);
    }

    private void create(Context ctx) {
        ClassroomRequests.Create body = Json.read(ctx, ClassroomRequests.Create.class, maxBodyBytes);
        Classroom created = classrooms.create(Authentication.facilitator(ctx), body.toNewClassroom());
        ctx.status(201).header("Location", CLASSROOMS + "/" + created.id()).json(created);
    }

    private void list(Context ctx) {
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> classrooms.list(Authentication.facilitator(ctx), limit, ctx.queryParam("cursor"))));
    }

    private void show(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        ctx.json(classrooms.find(Authentication.facilitator(ctx), id).orElseThrow(() -> new ClassroomNotFoundException(id)));
    }

    private void update(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        ClassroomRequests.Update body = Json.read(ctx, ClassroomRequests.Update.class, maxBodyBytes);
        ctx.json(classrooms.update(Authentication.facilitator(ctx), id, body.toChanges()));
    }

    private void archive(Context ctx) {
        classrooms.archive(Authentication.facilitator(ctx), Lists.id(ctx, "id"));
        ctx.status(204);
    }

    private void regenerateCode(Context ctx) {
        ctx.json(classrooms.regenerateCode(Authentication.facilitator(ctx), Lists.id(ctx, "id")));
    }

    private void students(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        int limit = Lists.limit(ctx);
        ctx.json(Lists.page(() -> classrooms.students(Authentication.facilitator(ctx), id, limit, ctx.queryParam("cursor"))));
    }

    private void endStudent(Context ctx) {
        UUID id = Lists.id(ctx, "id");
        UUID session = Lists.id(ctx, "sid");
        if (!classrooms.endStudentSession(Authentication.facilitator(ctx), id, session)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "no live student session " + session + " in this classroom");
        }
        ctx.status(204);
    }
}
