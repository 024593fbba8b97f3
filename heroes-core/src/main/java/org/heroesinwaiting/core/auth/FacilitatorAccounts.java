package org.heroesinwaiting.core.auth;

import java.util.UUID;

/**
 * Adults' accounts and sessions: the port the server's endpoints call. The implementation keeps
 * everything in the database, so any number of servers share it.
 *
 * <pre>{@code
 * TokenPair tokens = accounts.login(email, password, client);
 * AuthenticatedFacilitator who = accounts.authenticate(tokens.accessToken());
 * }</pre>
 */
public interface FacilitatorAccounts {

    /**
     * @param account the account to create
     * @param client where the request comes from
     * @return the new facilitator's id
     * @throws WeakPasswordException when the password fails the policy
     * @throws EmailTakenException when the email has an account
     */
    UUID register(NewFacilitator account, ClientInfo client);

    /**
     * Checks the password (the same work and the same answer for an unknown email, a wrong password
     * and a disabled account), opens a session and issues its tokens.
     *
     * @param email as typed
     * @param password as typed
     * @param client where the request comes from; its device info is kept with the session
     * @return the tokens
     * @throws InvalidCredentialsException for any failure
     */
    TokenPair login(String email, String password, ClientInfo client);

    /**
     * Exchanges a refresh token for new tokens; the old one stops working. Presenting an already
     * exchanged token revokes the whole session and records a high-severity security incident.
     *
     * @param refreshToken the token
     * @param client where the request comes from
     * @return new tokens
     * @throws InvalidTokenException when it is unknown, reused, or its session is revoked or expired
     */
    TokenPair refresh(String refreshToken, ClientInfo client);

    /**
     * Verifies an access token's signature and claims only; the session is checked by every
     * transaction done on the facilitator's behalf (every method here that takes one), so a
     * revoked session stops at its next transaction. For a request that does its own work.
     *
     * @param accessToken the JWT
     * @return who it says it is
     * @throws InvalidTokenException when the token is not valid
     */
    AuthenticatedFacilitator verifyToken(String accessToken);

    /**
     * Verifies an access token and checks its session is live and its account active, in one round
     * trip, so a revoked session or a disabled account stops at once, whatever the request does
     * next (a cached answer included). The role is the account's now, not the token's claim: a
     * demoted admin is no admin from their next request. The database implementation, inside a
     * request scope ({@code TransactionRunner.openRequestScope}), keeps the check's transaction for
     * the request's first unit of work for this session, so the check costs no round trip of its own.
     *
     * @param accessToken the JWT
     * @return who it is, with the account's role
     * @throws InvalidTokenException when the token or its session is not valid
     */
    AuthenticatedFacilitator authenticate(String accessToken);

    /**
     * @param who the session to end
     */
    void logout(AuthenticatedFacilitator who);

    /**
     * @param who every session of this facilitator ends
     */
    void logoutAll(AuthenticatedFacilitator who);

    /**
     * Changes the password and ends every other session.
     *
     * @param who the facilitator
     * @param currentPassword as typed
     * @param newPassword the new one (checked by {@link PasswordPolicy})
     * @throws InvalidCredentialsException when the current password is wrong
     * @throws WeakPasswordException when the new one fails the policy
     */
    void changePassword(AuthenticatedFacilitator who, String currentPassword, String newPassword);

    /**
     * @param who the facilitator
     * @return their own account
     */
    FacilitatorProfile profile(AuthenticatedFacilitator who);

    /**
     * @param who the facilitator
     * @return their live sessions, newest first
     */
    java.util.List<SessionSummary> sessions(AuthenticatedFacilitator who);

    /**
     * @param who the facilitator
     * @param sessionId one of their sessions
     * @return whether a live session of theirs was ended (false for another facilitator's: it is not theirs to see)
     */
    boolean revokeSession(AuthenticatedFacilitator who, UUID sessionId);
}
