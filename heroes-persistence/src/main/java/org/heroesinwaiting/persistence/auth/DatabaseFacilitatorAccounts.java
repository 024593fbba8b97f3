package org.heroesinwaiting.persistence.auth;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.AccessTokenClaims;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.EmailTakenException;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.FacilitatorProfile;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.InvalidCredentialsException;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordCheck;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.auth.PasswordPolicy;
import org.heroesinwaiting.core.auth.SecretTokens;
import org.heroesinwaiting.core.auth.SessionSummary;
import org.heroesinwaiting.core.auth.ThrottledException;
import org.heroesinwaiting.core.auth.TokenPair;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link FacilitatorAccounts} on the database: accounts in {@code facilitators}, sessions in
 * {@code facilitator_sessions} (refresh tokens by SHA-256 only, exchanged ones kept in
 * {@code facilitator_retired_tokens}), every login attempt in {@code auth_attempts}. Lookups before
 * authentication go through the schema's SECURITY DEFINER functions; everything else runs as the
 * facilitator concerned, so row level security applies. Every time a session row holds, and whether
 * it is live, is the database's clock; access tokens carry Java's (README, "Time").
 */
public final class DatabaseFacilitatorAccounts implements FacilitatorAccounts {

    private final TransactionRunner transactions;
    private final PasswordHasher hasher;
    private final HashingPool hashing;
    private final AccessTokens accessTokens;
    private final Duration accessTokenTtl;
    private final Duration refreshTokenTtl;

    /**
     * @param transactions on the application login
     * @param hasher the password hasher
     * @param hashing where hashing runs (bounded)
     * @param accessTokens issues and verifies access tokens
     * @param accessTokenTtl how long an access token lasts (answered as {@code expires_in})
     * @param refreshTokenTtl how long a session lasts from its login
     */
    public DatabaseFacilitatorAccounts(TransactionRunner transactions, PasswordHasher hasher, HashingPool hashing,
            AccessTokens accessTokens, Duration accessTokenTtl, Duration refreshTokenTtl) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.hasher = requireNonNull(hasher, "hasher");
        this.hashing = requireNonNull(hashing, "hashing");
        this.accessTokens = requireNonNull(accessTokens, "accessTokens");
        this.accessTokenTtl = requireNonNull(accessTokenTtl, "accessTokenTtl");
        this.refreshTokenTtl = requireNonNull(refreshTokenTtl, "refreshTokenTtl");
    }

    @Override
    public UUID register(NewFacilitator account, ClientInfo client) {
        byte[] emailHash = SecretTokens.sha256(account.email());
        refuseIfThrottled(emailHash, client);
        PasswordPolicy.standard().check(account.password(), account.email(), account.displayName());
        String hash = hashing.run(() -> hasher.hash(account.password()));
        UUID id = UUID.randomUUID();
        try {
            // a facilitator creates their own row: the new id is the actor
            transactions.useTransaction(ActorContext.facilitator(id, client.requestId(), client.ipAddress()), handle ->
                    handle.createUpdate("""
                            INSERT INTO facilitators (id, email, password_hash, display_name, role)
                            VALUES (:id, :email, :hash, :name, :role)""")
                            .bind("id", id).bind("email", account.email()).bind("hash", hash)
                            .bind("name", account.displayName()).bind("role", account.role()).execute());
        } catch (DuplicateException e) {
            recordFailure(emailHash, null, client, "email_taken");
            throw new EmailTakenException();
        }
        return id;
    }

    @Override
    public TokenPair login(String email, String password, ClientInfo client) {
        String normalised = NewFacilitator.normaliseEmail(requireNonNull(email, "email"));
        byte[] emailHash = SecretTokens.sha256(normalised);
        refuseIfThrottled(emailHash, client);
        Optional<Login> login = transactions.inTransaction(ActorContext.system(client.requestId()), handle ->
                handle.createQuery("SELECT facilitator_id, password_hash, role, is_active FROM app.find_login(:email)")
                        .bind("email", normalised).mapTo(Login.class).findOne());
        if (login.isEmpty()) {
            hashing.run(() -> hasher.verifyAgainstNothing(password));
            recordFailure(emailHash, null, client, "unknown_email");
            throw new InvalidCredentialsException();
        }
        Login found = login.get();
        PasswordCheck check = hashing.run(() -> hasher.verify(password, found.passwordHash()));
        if (!check.matches() || !found.isActive()) {
            recordFailure(emailHash, found.facilitatorId(), client, check.matches() ? "account_disabled" : "bad_credentials");
            throw new InvalidCredentialsException();
        }
        String newHash = check.needsRehash() ? hashing.run(() -> hasher.hash(password)) : null;
        ActorContext actor = ActorContext.facilitator(found.facilitatorId(), client.requestId(), client.ipAddress());
        return transactions.inTransaction(actor, handle -> {
            if (newHash != null) {
                handle.createUpdate("UPDATE facilitators SET password_hash = :hash WHERE id = :id")
                        .bind("hash", newHash).bind("id", found.facilitatorId()).execute();
            }
            handle.createUpdate("UPDATE facilitators SET last_login_at = now() WHERE id = :id")
                    .bind("id", found.facilitatorId()).execute();
            insertAttempt(handle, emailHash, found.facilitatorId(), client, "succeeded");
            return openSession(handle, found.facilitatorId(), found.role(), client);
        });
    }

    @Override
    public TokenPair refresh(String refreshToken, ClientInfo client) {
        byte[] hash = SecretTokens.sha256(requireNonNull(refreshToken, "refreshToken"));
        Optional<RefreshLookup> lookup = transactions.inTransaction(ActorContext.system(client.requestId()), handle ->
                handle.createQuery("""
                        SELECT session_id, facilitator_id, revoked_at IS NULL AND expires_at > now() AS live, retired
                          FROM app.find_session_by_refresh_hash(:hash)""")
                        .bind("hash", hash).mapTo(RefreshLookup.class).findOne());
        if (lookup.isEmpty()) {
            throw new InvalidTokenException("unknown refresh token");
        }
        RefreshLookup found = lookup.get();
        ActorContext actor = ActorContext.facilitator(found.facilitatorId(), client.requestId(), client.ipAddress());
        if (found.retired()) {
            transactions.useTransaction(actor, handle -> {
                revoke(handle, "id = :session", found.sessionId(), found.facilitatorId(), "refresh_token_reused");
                handle.createUpdate("""
                        INSERT INTO security_incidents (incident_type, severity, description, ip_address, facilitator_id, details)
                        VALUES ('refresh_token_reuse', 'high', 'An already exchanged refresh token was presented; the session was revoked',
                                CAST(:ip AS inet), :facilitator, jsonb_build_object('session_id', CAST(:session AS text)))""")
                        .bind("ip", client.ipAddress() == null ? null : client.ipAddress().getHostAddress())
                        .bind("facilitator", found.facilitatorId()).bind("session", found.sessionId().toString()).execute();
            });
            throw new InvalidTokenException("refresh token reused; the session is revoked");
        }
        if (!found.live()) {
            throw new InvalidTokenException("the session is revoked or expired");
        }
        return transactions.inTransaction(actor, handle -> {
            String role = handle.createQuery("SELECT role FROM facilitators WHERE id = :id AND is_active")
                    .bind("id", found.facilitatorId()).mapTo(String.class).findOne()
                    .orElseThrow(() -> new InvalidTokenException("the account is disabled"));
            String next = SecretTokens.generate();
            AccessTokens.Issued access = accessTokens.issue(found.facilitatorId(), found.sessionId(), role);
            int rotated = handle.createUpdate("""
                    UPDATE facilitator_sessions
                       SET token_hash = :next, refresh_count = refresh_count + 1, last_used_at = now(), access_token_id = :jti
                     WHERE id = :session AND token_hash = :current AND revoked_at IS NULL AND expires_at > now()""")
                    .bind("next", SecretTokens.sha256(next)).bind("jti", access.claims().tokenId())
                    .bind("session", found.sessionId()).bind("current", hash).execute();
            if (rotated != 1) {
                throw new InvalidTokenException("the refresh token was exchanged meanwhile");
            }
            handle.createUpdate("INSERT INTO facilitator_retired_tokens (token_hash, session_id, retired_at) VALUES (:hash, :session, now())")
                    .bind("hash", hash).bind("session", found.sessionId()).execute();
            return new TokenPair(access.token(), accessTokenTtl, next);
        });
    }

    @Override
    public AuthenticatedFacilitator verifyToken(String accessToken) {
        AccessTokenClaims claims = accessTokens.verify(accessToken);
        return new AuthenticatedFacilitator(claims.facilitatorId(), claims.sessionId(), claims.role());
    }

    @Override
    public AuthenticatedFacilitator authenticate(String accessToken) {
        AccessTokenClaims claims = accessTokens.verify(accessToken);
        // one statement, no transaction around it: the session check that every transaction also
        // makes; a revoked or expired session, or a disabled account, is SQLSTATE 28000, which
        // arrives as InvalidTokenException
        String role = transactions.selfContained(handle -> handle.createQuery(
                "SELECT app.set_session_context(:facilitator, :session, NULL, NULL)")
                .bind("facilitator", claims.facilitatorId()).bind("session", claims.sessionId())
                .mapTo(String.class).one());
        return new AuthenticatedFacilitator(claims.facilitatorId(), claims.sessionId(), role);
    }

    @Override
    public void logout(AuthenticatedFacilitator who) {
        transactions.useTransaction(actor(who), handle -> revoke(handle, "id = :session", who.sessionId(), who.facilitatorId(), "logout"));
    }

    @Override
    public void logoutAll(AuthenticatedFacilitator who) {
        transactions.useTransaction(actor(who), handle -> revoke(handle, "facilitator_id = :facilitator", who.sessionId(),
                who.facilitatorId(), "logout"));
    }

    @Override
    public void changePassword(AuthenticatedFacilitator who, String currentPassword, String newPassword) {
        Account account = transactions.inTransaction(actor(who), handle -> handle.createQuery(
                "SELECT email, display_name, password_hash FROM facilitators WHERE id = :id")
                .bind("id", who.facilitatorId()).mapTo(Account.class).one());
        if (!hashing.run(() -> hasher.verify(currentPassword, account.passwordHash())).matches()) {
            throw new InvalidCredentialsException();
        }
        PasswordPolicy.standard().check(newPassword, account.email(), account.displayName());
        String hash = hashing.run(() -> hasher.hash(newPassword));
        transactions.useTransaction(actor(who), handle -> {
            handle.createUpdate("UPDATE facilitators SET password_hash = :hash WHERE id = :id")
                    .bind("hash", hash).bind("id", who.facilitatorId()).execute();
            revoke(handle, "facilitator_id = :facilitator AND id <> :session", who.sessionId(), who.facilitatorId(), "password_changed");
        });
    }

    @Override
    public FacilitatorProfile profile(AuthenticatedFacilitator who) {
        return transactions.inTransaction(actor(who), handle -> handle.createQuery("""
                SELECT id, email, display_name, role, created_at, last_login_at FROM facilitators WHERE id = :id""")
                .bind("id", who.facilitatorId()).map(DatabaseFacilitatorAccounts::profileRow).one());
    }

    /** By hand, not by the record mapper: every client calls {@code GET /api/v1/me} (AuthBench). */
    private static FacilitatorProfile profileRow(ResultSet row, StatementContext context) throws SQLException {
        OffsetDateTime lastLogin = row.getObject(6, OffsetDateTime.class);
        return new FacilitatorProfile(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getObject(5, OffsetDateTime.class).toInstant(), lastLogin == null ? null : lastLogin.toInstant());
    }

    @Override
    public List<SessionSummary> sessions(AuthenticatedFacilitator who) {
        return transactions.inTransaction(actor(who), handle -> handle.createQuery("""
                SELECT id, device_info, host(ip_address) AS ip_address, created_at, last_used_at, id = :current AS current
                  FROM facilitator_sessions
                 WHERE facilitator_id = :facilitator AND revoked_at IS NULL AND expires_at > now()
                 ORDER BY created_at DESC""")
                .bind("current", who.sessionId()).bind("facilitator", who.facilitatorId())
                .mapTo(SessionSummary.class).list());
    }

    @Override
    public boolean revokeSession(AuthenticatedFacilitator who, UUID sessionId) {
        return transactions.inTransaction(actor(who), handle -> handle.createUpdate("""
                UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = 'logout'
                 WHERE id = :session AND facilitator_id = :facilitator AND revoked_at IS NULL""")
                .bind("session", sessionId).bind("facilitator", who.facilitatorId()).execute() == 1);
    }

    private TokenPair openSession(Handle handle, UUID facilitatorId, String role, ClientInfo client) {
        UUID sessionId = UUID.randomUUID();
        String refresh = SecretTokens.generate();
        AccessTokens.Issued access = accessTokens.issue(facilitatorId, sessionId, role);
        handle.createUpdate("""
                INSERT INTO facilitator_sessions (id, facilitator_id, token_hash, access_token_id, expires_at, device_info, ip_address,
                                                  created_at, last_used_at)
                VALUES (:id, :facilitator, :hash, :jti, now() + CAST(:lifetime AS interval), :device, CAST(:ip AS inet), now(), now())""")
                .bind("id", sessionId).bind("facilitator", facilitatorId).bind("hash", SecretTokens.sha256(refresh))
                .bind("jti", access.claims().tokenId()).bind("lifetime", refreshTokenTtl.toSeconds() + " seconds")
                .bind("device", client.deviceInfo())
                .bind("ip", client.ipAddress() == null ? null : client.ipAddress().getHostAddress()).execute();
        return new TokenPair(access.token(), accessTokenTtl, refresh);
    }

    private void revoke(Handle handle, String which, UUID sessionId, UUID facilitatorId, String reason) {
        handle.createUpdate("UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = :reason WHERE revoked_at IS NULL AND "
                        + which)
                .configure(org.jdbi.v3.core.statement.SqlStatements.class, statements -> statements.setUnusedBindingAllowed(true))
                .bind("reason", reason).bind("session", sessionId).bind("facilitator", facilitatorId)
                .execute();
    }

    /** Refuses, and records, an attempt for an email or from an address that must wait. */
    private void refuseIfThrottled(byte[] emailHash, ClientInfo client) {
        Optional<Throttle> throttle = throttle(emailHash, client);
        if (throttle.isPresent()) {
            transactions.useTransaction(ActorContext.system(client.requestId()),
                    handle -> insertAttempt(handle, emailHash, null, client, "throttled"));
            throw new ThrottledException(Duration.ofSeconds(throttle.get().retryAfterSeconds()));
        }
    }

    /** Records a failure; the one that starts a lockout also writes a security incident. */
    private void recordFailure(byte[] emailHash, UUID facilitatorId, ClientInfo client, String outcome) {
        transactions.useTransaction(ActorContext.system(client.requestId()), handle -> insertAttempt(handle, emailHash, facilitatorId, client, outcome));
        throttle(emailHash, client).ifPresent(lockout -> transactions.useTransaction(ActorContext.system(client.requestId()), handle ->
                handle.createUpdate("""
                        INSERT INTO security_incidents (incident_type, severity, description, ip_address, facilitator_id, details)
                        VALUES ('failed_login', 'medium', 'Multiple failed login attempts', CAST(:ip AS inet), :facilitator,
                                jsonb_build_object('throttled_by', CAST(:reason AS text), 'retry_after_seconds', :seconds))""")
                        .bind("ip", client.ipAddress() == null ? null : client.ipAddress().getHostAddress())
                        .bind("facilitator", facilitatorId).bind("reason", lockout.reason())
                        .bind("seconds", lockout.retryAfterSeconds()).execute()));
    }

    private Optional<Throttle> throttle(byte[] emailHash, ClientInfo client) {
        return transactions.inTransaction(ActorContext.system(client.requestId()), handle -> handle.createQuery(
                "SELECT retry_after_seconds, reason FROM app.login_throttle(:hash, CAST(:ip AS inet))")
                .bind("hash", emailHash).bind("ip", client.ipAddress() == null ? null : client.ipAddress().getHostAddress())
                .mapTo(Throttle.class).findOne());
    }

    private void insertAttempt(Handle handle, byte[] emailHash, UUID facilitatorId, ClientInfo client, String outcome) {
        handle.createUpdate("""
                INSERT INTO auth_attempts (email_hash, facilitator_id, ip_address, user_agent, outcome, attempted_at)
                VALUES (:hash, :facilitator, CAST(:ip AS inet), :agent, :outcome, now())""")
                .bind("hash", emailHash).bind("facilitator", facilitatorId)
                .bind("ip", client.ipAddress() == null ? null : client.ipAddress().getHostAddress())
                .bind("agent", client.userAgent()).bind("outcome", outcome).execute();
    }

    private static ActorContext actor(AuthenticatedFacilitator who) {
        return who.actor();
    }


    /** A row of {@code app.login_throttle}. */
    public record Throttle(int retryAfterSeconds, String reason) {
    }

    /** A row of {@code app.find_login}. */
    public record Login(UUID facilitatorId, String passwordHash, String role, boolean isActive) {
    }

    /** A row of {@code app.find_session_by_refresh_hash}. */
    public record RefreshLookup(UUID sessionId, UUID facilitatorId, boolean live, boolean retired) {
    }

    /** What changing a password needs. */
    public record Account(String email, String displayName, String passwordHash) {
    }
}
