package org.heroesinwaiting.core.activity;

import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.classroom.ClassroomNotFoundException;

/**
 * What a facilitator sees of their classroom's progress and feedback: counts, never a child. Each
 * is one query that an index of the classroom serves.
 */
public interface ClassroomReports {

    /**
     * @param who the facilitator
     * @param classroomId the classroom
     * @return per lesson (all 12), students started and completed
     * @throws ClassroomNotFoundException when {@code who} may not see it
     */
    List<LessonProgress> progress(AuthenticatedFacilitator who, UUID classroomId);

    /**
     * @param who the facilitator
     * @param classroomId the classroom
     * @return per lesson with feedback, the rating, mood and answers (breakdowns only from 5 students up)
     * @throws ClassroomNotFoundException when {@code who} may not see it
     */
    List<LessonFeedback> feedback(AuthenticatedFacilitator who, UUID classroomId);
}
