package org.heroesinwaiting.persistence.classroom;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.ClassroomChanges;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.classroom.StudentSummary;
import org.heroesinwaiting.persistence.KeysetCursor;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * {@link Classrooms} on the database, over {@link ClassroomDao}. Every statement runs as the
 * facilitator (or admin) asking, so row level security decides what exists: another
 * facilitator's classroom is simply not found.
 */
public final class DatabaseClassrooms implements Classrooms {

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock when a classroom was created or archived; whether a student session is live is
     *     the database's clock (docs/library.md, "Time")
     */
    public DatabaseClassrooms(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Classroom create(AuthenticatedFacilitator who, NewClassroom classroom) {
        return transactions.inTransaction(who.actor(), handle -> handle.attach(ClassroomDao.class)
                .create(who.facilitatorId(), classroom.name(), classroom.gradeLevel(), classroom.maxStudents(), clock.instant()));
    }

    @Override
    public Page<Classroom> list(AuthenticatedFacilitator who, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<Classroom> rows = transactions.inTransaction(who.actor(), handle -> handle.attach(ClassroomDao.class)
                .listBefore(before == null ? null : before.at(), before == null ? null : before.id(), limit + 1));
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.createdAt(), row.id()));
    }

    @Override
    public Optional<Classroom> find(AuthenticatedFacilitator who, UUID id) {
        return transactions.inTransaction(who.actor(), handle -> handle.attach(ClassroomDao.class).find(id));
    }

    @Override
    public Classroom update(AuthenticatedFacilitator who, UUID id, ClassroomChanges changes) {
        return transactions.inTransaction(who.actor(), handle -> {
            ClassroomDao classrooms = handle.attach(ClassroomDao.class);
            int updated = classrooms.update(id, changes.name(), changes.gradeLevel(), changes.maxStudents(), changes.joinEnabled(),
                    changes.codeExpiresAt() != null, changes.codeExpiresAt() == null ? null : changes.codeExpiresAt().orElse(null));
            if (updated == 0) {
                throw new ClassroomNotFoundException(id);
            }
            return classrooms.fetch(id);
        });
    }

    @Override
    public void archive(AuthenticatedFacilitator who, UUID id) {
        transactions.useTransaction(who.actor(), handle -> {
            if (handle.attach(ClassroomDao.class).archive(id, clock.instant()) == 0) {
                throw new ClassroomNotFoundException(id);
            }
        });
    }

    @Override
    public Classroom regenerateCode(AuthenticatedFacilitator who, UUID id) {
        return transactions.inTransaction(who.actor(), handle -> handle.attach(ClassroomDao.class).regenerateCode(id));
    }

    @Override
    public Page<StudentSummary> students(AuthenticatedFacilitator who, UUID id, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<StudentSummary> rows = transactions.inTransaction(who.actor(), handle -> {
            ClassroomDao classrooms = handle.attach(ClassroomDao.class);
            classrooms.requireVisible(id);
            return classrooms.students(id, before == null ? null : before.at(), before == null ? null : before.id(), limit + 1);
        });
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.joinedAt(), row.id()));
    }

    @Override
    public boolean endStudentSession(AuthenticatedFacilitator who, UUID classroomId, UUID studentSessionId) {
        return transactions.inTransaction(who.actor(), handle -> {
            ClassroomDao classrooms = handle.attach(ClassroomDao.class);
            classrooms.requireVisible(classroomId);
            return classrooms.endStudentSession(classroomId, studentSessionId) == 1;
        });
    }
}
