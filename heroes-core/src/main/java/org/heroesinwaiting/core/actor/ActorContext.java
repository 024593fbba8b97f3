package org.heroesinwaiting.core.actor;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Who is acting, for one unit of work: every transaction the application opens sets it first
 * (DESIGN.md section 4), and row level security decides what the transaction sees from it.
 *
 * <pre>{@code
 * ActorContext actor = ActorContext.facilitator(facilitatorId, requestId, clientIp);
 * transactions.inTransaction(actor, handle -> handle.select("SELECT * FROM classrooms")...);
 * }</pre>
 *
 * @param role the kind of actor
 * @param facilitatorId the facilitator (or admin) acting, or {@code null}
 * @param studentSessionId the student session acting, or {@code null}
 * @param requestId the request being served, or {@code null}
 * @param clientIp the adult client's address, or {@code null}; never a student's
 * @param facilitatorSessionId the adult's session, or {@code null}: when given, every transaction
 *     checks it is still live (and takes the role from the account) as it sets the context
 */
public record ActorContext(ActorRole role, UUID facilitatorId, UUID studentSessionId, String requestId, InetAddress clientIp,
        UUID facilitatorSessionId) {

    /** Validates: each role carries exactly what identifies it, and a student no address. */
    public ActorContext {
        requireNonNull(role, "role");
        switch (role) {
            case FACILITATOR, ADMIN -> {
                requireNonNull(facilitatorId, "facilitatorId");
                if (studentSessionId != null) {
                    throw new IllegalArgumentException("a " + role.databaseName() + " has no student session");
                }
            }
            case STUDENT -> {
                requireNonNull(studentSessionId, "studentSessionId");
                if (facilitatorId != null) {
                    throw new IllegalArgumentException("a student is no facilitator");
                }
                if (clientIp != null) {
                    throw new IllegalArgumentException("a student's IP address is never recorded");
                }
            }
            case SYSTEM -> {
                if (facilitatorId != null || studentSessionId != null) {
                    throw new IllegalArgumentException("the system acts for nobody");
                }
            }
            default -> throw new IllegalStateException(role.toString());
        }
        if (facilitatorSessionId != null && facilitatorId == null) {
            throw new IllegalArgumentException("a facilitator session belongs to a facilitator");
        }
        if (requestId != null && (requestId.isEmpty() || requestId.length() > 64)) {
            throw new IllegalArgumentException("requestId must have 1 to 64 characters");
        }
    }

    /**
     * @param facilitatorId the facilitator
     * @param requestId the request, or {@code null}
     * @param clientIp their address, or {@code null}
     * @return a facilitator acting on their own data
     */
    public static ActorContext facilitator(UUID facilitatorId, String requestId, InetAddress clientIp) {
        return new ActorContext(ActorRole.FACILITATOR, facilitatorId, null, requestId, clientIp, null);
    }

    /**
     * @param facilitatorId the admin's facilitator id
     * @param requestId the request, or {@code null}
     * @param clientIp their address, or {@code null}
     * @return an admin, who sees every tenant
     */
    public static ActorContext admin(UUID facilitatorId, String requestId, InetAddress clientIp) {
        return new ActorContext(ActorRole.ADMIN, facilitatorId, null, requestId, clientIp, null);
    }

    /**
     * @param studentSessionId the student session
     * @param requestId the request, or {@code null}
     * @return a student acting on itself (its address is never kept)
     */
    public static ActorContext student(UUID studentSessionId, String requestId) {
        return new ActorContext(ActorRole.STUDENT, null, studentSessionId, requestId, null, null);
    }

    /**
     * @param requestId the request or job run, or {@code null}
     * @return the server acting for nobody
     */
    public static ActorContext system(String requestId) {
        return new ActorContext(ActorRole.SYSTEM, null, null, requestId, null, null);
    }

    /**
     * An adult acting through one of their sessions: each transaction checks the session is live
     * and takes the role (facilitator or admin) from the account.
     *
     * @param facilitatorId the facilitator
     * @param sessionId their session
     * @param admin whether the token says admin (the database decides in the end)
     * @param requestId the request, or {@code null}
     * @param clientIp their address, or {@code null}
     * @return the context
     */
    public static ActorContext session(UUID facilitatorId, UUID sessionId, boolean admin, String requestId, InetAddress clientIp) {
        return new ActorContext(admin ? ActorRole.ADMIN : ActorRole.FACILITATOR, facilitatorId, null, requestId, clientIp,
                requireNonNull(sessionId, "sessionId"));
    }
}
