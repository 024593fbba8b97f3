package org.heroesinwaiting.persistence.activity;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.activity.ClassroomArchivedException;
import org.heroesinwaiting.core.activity.ClassroomSession;
import org.heroesinwaiting.core.activity.ClassroomSessions;
import org.heroesinwaiting.core.activity.LessonNote;
import org.heroesinwaiting.core.activity.SessionAlreadyOpenException;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;
import org.heroesinwaiting.persistence.KeysetCursor;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.classroom.ClassroomDao;

/**
 * {@link ClassroomSessions} on the database, as the facilitator: row level security decides which
 * classrooms exist, and the partial unique index {@code classroom_sessions_one_open_per_classroom}
 * keeps one open session per classroom however many start at once.
 */
public final class DatabaseClassroomSessions implements ClassroomSessions {

    private final TransactionRunner transactions;
    private final Clock clock;

    /**
     * @param transactions on the application login
     * @param clock what counts as now
     */
    public DatabaseClassroomSessions(TransactionRunner transactions, Clock clock) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public ClassroomSession start(AuthenticatedFacilitator who, UUID classroomId, int lessonNumber) {
        try {
            return transactions.inTransaction(who.actor(), handle -> {
                ClassroomSessionDao sessions = handle.attach(ClassroomSessionDao.class);
                if (sessions.archived(classroomId).orElseThrow(() -> new ClassroomNotFoundException(classroomId))) {
                    throw new ClassroomArchivedException(classroomId);
                }
                UUID id = sessions.start(classroomId, sessions.lessonId(lessonNumber), clock.instant());
                return sessions.find(classroomId, id).orElseThrow();
            });
        } catch (DuplicateException e) {
            throw new SessionAlreadyOpenException(classroomId);
        }
    }

    @Override
    public ClassroomSession end(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId) {
        return transactions.inTransaction(who.actor(), handle -> {
            ClassroomSessionDao sessions = handle.attach(ClassroomSessionDao.class);
            sessions.end(classroomId, sessionId, clock.instant());
            return sessions.find(classroomId, sessionId).orElseThrow(() -> new ClassroomNotFoundException(classroomId));
        });
    }

    @Override
    public Optional<ClassroomSession> find(AuthenticatedFacilitator who, UUID classroomId, UUID sessionId) {
        return transactions.inTransaction(who.actor(), handle -> handle.attach(ClassroomSessionDao.class).find(classroomId, sessionId));
    }

    @Override
    public Page<ClassroomSession> list(AuthenticatedFacilitator who, UUID classroomId, int limit, String cursor) {
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<ClassroomSession> rows = transactions.inTransaction(who.actor(), handle -> {
            handle.attach(ClassroomDao.class).requireVisible(classroomId);
            return handle.attach(ClassroomSessionDao.class).listBefore(classroomId, before == null ? null : before.at(),
                    before == null ? null : before.id(), limit + 1);
        });
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.startedAt(), row.id()));
    }

    @Override
    public LessonNote addNote(AuthenticatedFacilitator who, int lessonNumber, UUID classroomId, String notes) {
        String text = LessonNote.validNotes(notes);
        return transactions.inTransaction(who.actor(), handle -> {
            ClassroomSessionDao sessions = handle.attach(ClassroomSessionDao.class);
            UUID lessonId = sessions.lessonId(lessonNumber);
            if (classroomId != null) {
                handle.attach(ClassroomDao.class).requireVisible(classroomId);
            }
            return sessions.addNote(who.facilitatorId(), lessonId, lessonNumber, classroomId, text, clock.instant());
        });
    }

    @Override
    public List<LessonNote> notes(AuthenticatedFacilitator who, int lessonNumber) {
        return transactions.inTransaction(who.actor(), handle -> {
            ClassroomSessionDao sessions = handle.attach(ClassroomSessionDao.class);
            // own notes only, also for an admin: these are a facilitator's private notes
            return sessions.notes(who.facilitatorId(), sessions.lessonId(lessonNumber), lessonNumber);
        });
    }
}
