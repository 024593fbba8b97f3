package org.heroesinwaiting.server.classroom;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heroesinwaiting.core.classroom.JoinRequest;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.StudentProfile;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.ClientAddresses;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.RequestIds;

/**
 * Students' side: the anonymous join ({@code POST /api/v1/student/join}) and, with the student
 * token it answers, {@code GET /api/v1/student/me}.
 */
public final class StudentController implements Controller {

    private static final String JOIN = "/api/v1/student/join";
    private static final String ME = "/api/v1/student/me";

    private final StudentSessions students;
    private final ClientAddresses clients;
    private final long maxBodyBytes;

    /**
     * @param students joins and tokens
     * @param clients how to tell the client's address (for the guessing throttle only)
     * @param maxBodyBytes the largest body accepted
     */
    public StudentController(StudentSessions students, ClientAddresses clients, long maxBodyBytes) {
        this.students = requireNonNull(students, "students");
        this.clients = requireNonNull(clients, "clients");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.post(JOIN, this::join, Access.PUBLIC);
        routes.get(ME, this::me, Access.STUDENT);
    }



    private void join(Context ctx) {
        ClassroomRequests.Join body = Json.read(ctx, ClassroomRequests.Join.class, maxBodyBytes);
        JoinRequest request = body.toJoinRequest();
        JoinedStudent joined = students.join(request.classroomCode(), request.demographics(), clients.of(ctx), RequestIds.of(ctx));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("student_token", joined.token());
        answer.put("expires_at", joined.expiresAt());
        answer.put("classroom", classroom(joined.classroomName(), joined.classroomGradeLevel()));
        ctx.status(201).header("Location", ME).header("Cache-Control", "no-store").json(answer);
    }

    private void me(Context ctx) {
        StudentProfile profile = students.profile(Authentication.student(ctx));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("classroom", classroom(profile.classroomName(), profile.classroomGradeLevel()));
        answer.put("expires_at", profile.expiresAt());
        answer.put("open_lesson", profile.openLesson());
        ctx.json(answer);
    }

    private static Map<String, Object> classroom(String name, int gradeLevel) {
        Map<String, Object> classroom = new LinkedHashMap<>();
        classroom.put("name", name);
        classroom.put("grade_level", gradeLevel);
        return classroom;
    }
}
