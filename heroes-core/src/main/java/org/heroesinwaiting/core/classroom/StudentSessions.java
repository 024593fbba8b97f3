package org.heroesinwaiting.core.classroom;

import java.net.InetAddress;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.ThrottledException;

/**
 * Students' side: joining a classroom anonymously with its code, and the opaque token that
 * authenticates a student's later requests.
 *
 * <pre>{@code
 * JoinedStudent joined = students.join("abcd-efgh", new Demographics("10-11", 5), clientAddress, requestId);
 * AuthenticatedStudent me = students.authenticate(joined.token(), requestId);
 * }</pre>
 */
public interface StudentSessions {

    /**
     * @param typedCode the code as typed (case, spaces and dashes do not matter)
     * @param demographics age range and grade: all that is kept of the student
     * @param clientAddress used only to throttle guessing, and only as a salted hash forgotten within a day; may be {@code null}
     * @param requestId the request, for the audit trail, or {@code null}
     * @return the new session and its token (shown once; only its hash is stored)
     * @throws MalformedJoinCodeException when the input cannot be a code (counts as a failed guess)
     * @throws UnknownJoinCodeException when no classroom has it (counts as a failed guess)
     * @throws InactiveJoinCodeException when joining is disabled, the code expired, or the classroom is archived
     * @throws ClassroomFullException when every seat is taken by a live session
     * @throws ThrottledException when this address failed too often lately
     */
    JoinedStudent join(String typedCode, Demographics demographics, InetAddress clientAddress, String requestId);

    /**
     * @param token a student token
     * @param requestId the request, or {@code null}
     * @return its live session (and {@code last_seen_at} refreshed when over a minute old)
     * @throws InvalidTokenException when the token names no live session
     */
    AuthenticatedStudent authenticate(String token, String requestId);

    /**
     * @param student an authenticated student
     * @return their classroom and session, as the student sees them
     * @throws InvalidTokenException when the session ended meanwhile
     */
    StudentProfile profile(AuthenticatedStudent student);
}
