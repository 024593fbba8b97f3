package org.heroesinwaiting.core.activity;

import java.util.List;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.classroom.AuthenticatedStudent;

/**
 * What a student's app sends after class, possibly from an offline queue: batches of progress
 * events and of anonymous feedback. Each item is judged on its own and stored at most once per idempotency key, however
 * often and however concurrently the batch is sent again.
 *
 * <pre>{@code
 * List<ItemResult> results = activity.recordProgress(student, items); // one result per item, in order
 * }</pre>
 */
public interface StudentActivity {

    /** The most items a batch holds. */
    int MAX_BATCH = 200;

    /**
     * @param student the student (their own classroom only: the database refuses any other)
     * @param items 1 to {@link #MAX_BATCH} events
     * @return one result per item, in the same order; a rejected item never keeps the others from being stored
     * @throws IllegalArgumentException for an empty or oversized batch
     * @throws InvalidTokenException when the student's session has ended
     */
    List<ItemResult> recordProgress(AuthenticatedStudent student, List<ProgressItem> items);

    /**
     * @param student the student (their own classroom only)
     * @param items 1 to {@link #MAX_BATCH} pieces of feedback
     * @return one result per item, in the same order
     * @throws IllegalArgumentException for an empty or oversized batch
     * @throws InvalidTokenException when the student's session has ended
     */
    List<ItemResult> recordFeedback(AuthenticatedStudent student, List<FeedbackItem> items);
}
