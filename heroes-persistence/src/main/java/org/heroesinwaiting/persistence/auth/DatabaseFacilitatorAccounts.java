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
                    handle.attach(FacilitatorDao.class).insert(id, account.email(), hash, account.displayName(), account.role()));
        } catch (DuplicateException e) {
            recordFailure(emailHash, null, client, "email_taken");
            throw new EmailTakenException();
        }
        return id;
    }

    @Override
    public TokenPair login(String email, String password, ClientInfo client) {
        String normalised = NewFacilitator.normaliseEmail(requireNonNull(email, "email"));
        hashing.admit(); // a full queue refuses before the database is read
        byte[] emailHash = SecretTokens.sha256(normalised);
        refuseIfThrottled(emailHash, client);
        Optional<FacilitatorDao.Login> login = transactions.inTransaction(ActorContext.system(client.requestId()), handle ->
                handle.attach(FacilitatorDao.class).findLogin(normalised));
        if (login.isEmpty()) {
            hashing.run(() -> hasher.verifyAgainstNothing(password));
            recordFailure(emailHash, null, client, "unknown_email");
            throw new InvalidCredentialsException();
        }
        FacilitatorDao.Login found = login.get();
        PasswordCheck check = hashing.run(() -> hasher.verify(password, found.passwordHash()));
        if (!check.matches() || !found.isActive()) {
            recordFailure(emailHash, found.facilitatorId(), client, check.matches() ? "account_disabled" : "bad_credentials");
            throw new InvalidCredentialsException();
        }
        String newHash = check.needsRehash() ? hashing.run(() -> hasher.hash(password)) : null;
        ActorContext actor = ActorContext.facilitator(found.facilitatorId(), client.requestId(), client.ipAddress());
        return transactions.inTransaction(actor, handle -> {
            FacilitatorDao facilitators = handle.attach(FacilitatorDao.class);
            if (newHash != null) {
                facilitators.setPasswordHash(found.facilitatorId(), newHash);
            }
            facilitators.touchLastLogin(found.facilitatorId());
            insertAttempt(handle, emailHash, found.facilitatorId(), client, "succeeded");
            return openSession(handle, found.facilitatorId(), found.role(), client);
        });
    }

    @Override
    public TokenPair refresh(String refreshToken, ClientInfo client) {
        byte[] hash = SecretTokens.sha256(requireNonNull(refreshToken, "refreshToken"));
        Optional<FacilitatorSessionDao.RefreshLookup> lookup = transactions.inTransaction(ActorContext.system(client.requestId()),
                handle -> handle.attach(FacilitatorSessionDao.class).findByRefreshHash(hash));
        if (lookup.isEmpty()) {
            throw new InvalidTokenException("unknown refresh token");
        }
        FacilitatorSessionDao.RefreshLookup found = lookup.get();
        ActorContext actor = ActorContext.facilitator(found.facilitatorId(), client.requestId(), client.ipAddress());
        if (found.retired()) {
            transactions.useTransaction(actor, handle -> {
                handle.attach(FacilitatorSessionDao.class).revoke(found.sessionId(), "refresh_token_reused");
                handle.attach(SecurityIncidentDao.class).refreshTokenReused(ip(client), found.facilitatorId(), found.sessionId().toString());
            });
            throw new InvalidTokenException("refresh token reused; the session is revoked");
        }
        if (!found.live()) {
            throw new InvalidTokenException("the session is revoked or expired");
        }
        return transactions.inTransaction(actor, handle -> {
            String role = handle.attach(FacilitatorDao.class).activeRole(found.facilitatorId())
                    .orElseThrow(() -> new InvalidTokenException("the account is disabled"));
            String next = SecretTokens.generate();
            AccessTokens.Issued access = accessTokens.issue(found.facilitatorId(), found.sessionId(), role);
            FacilitatorSessionDao sessions = handle.attach(FacilitatorSessionDao.class);
            if (sessions.rotate(found.sessionId(), hash, SecretTokens.sha256(next), access.claims().tokenId()) != 1) {
                throw new InvalidTokenException("the refresh token was exchanged meanwhile");
            }
            sessions.retire(hash, found.sessionId());
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
        // the session check that every transaction also makes, in one round trip; inside a request
        // scope its transaction is kept for the request's first unit of work (TransactionRunner)
        String role = transactions.checkSession(claims.facilitatorId(), claims.sessionId());
        return new AuthenticatedFacilitator(claims.facilitatorId(), claims.sessionId(), role);
    }

    @Override
    public void logout(AuthenticatedFacilitator who) {
        transactions.useTransaction(actor(who), handle -> handle.attach(FacilitatorSessionDao.class).revoke(who.sessionId(), "logout"));
    }

    @Override
    public void logoutAll(AuthenticatedFacilitator who) {
        transactions.useTransaction(actor(who), handle -> handle.attach(FacilitatorSessionDao.class).revokeAll(who.facilitatorId(), "logout"));
    }

    @Override
    public void changePassword(AuthenticatedFacilitator who, String currentPassword, String newPassword) {
        FacilitatorDao.Account account = transactions.inTransaction(actor(who), handle ->
                handle.attach(FacilitatorDao.class).account(who.facilitatorId()));
        if (!hashing.run(() -> hasher.verify(currentPassword, account.passwordHash())).matches()) {
            throw new InvalidCredentialsException();
        }
        PasswordPolicy.standard().check(newPassword, account.email(), account.displayName());
        String hash = hashing.run(() -> hasher.hash(newPassword));
        transactions.useTransaction(actor(who), handle -> {
            handle.attach(FacilitatorDao.class).setPasswordHash(who.facilitatorId(), hash);
            handle.attach(FacilitatorSessionDao.class).revokeAllBut(who.facilitatorId(), who.sessionId(), "password_changed");
        });
    }

    @Override
    public FacilitatorProfile profile(AuthenticatedFacilitator who) {
        return transactions.inTransaction(actor(who), handle -> handle.createQuery("""
                SELECT id, email, display_name, role, created_at, last_login_at FROM facilitators WHERE id = :id""")
                .bind("id", who.facilitatorId()).map(DatabaseFacilitatorAccounts::profileRow).one());
    }

    /**
     * Hand-mapped on Jdbi's fluent API, not a DAO and not the record mapper: every client calls
     * {@code GET /api/v1/me}, and AuthBench showed the reflective paths in its profile.
     */
    private static FacilitatorProfile profileRow(ResultSet row, StatementContext context) throws SQLException {
        OffsetDateTime lastLogin = row.getObject(6, OffsetDateTime.class);
        return new FacilitatorProfile(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getString(4),
                row.getObject(5, OffsetDateTime.class).toInstant(), lastLogin == null ? null : lastLogin.toInstant());
    }

    @Override
    public List<SessionSummary> sessions(AuthenticatedFacilitator who) {
        return transactions.inTransaction(actor(who), handle ->
                handle.attach(FacilitatorSessionDao.class).live(who.facilitatorId(), who.sessionId()));
    }

    @Override
    public boolean revokeSession(AuthenticatedFacilitator who, UUID sessionId) {
        return transactions.inTransaction(actor(who), handle ->
                handle.attach(FacilitatorSessionDao.class).revokeOwn(who.facilitatorId(), sessionId) == 1);
    }

    private TokenPair openSession(Handle handle, UUID facilitatorId, String role, ClientInfo client) {
        UUID sessionId = UUID.randomUUID();
        String refresh = SecretTokens.generate();
        AccessTokens.Issued access = accessTokens.issue(facilitatorId, sessionId, role);
        handle.attach(FacilitatorSessionDao.class).open(sessionId, facilitatorId, SecretTokens.sha256(refresh), access.claims().tokenId(),
                refreshTokenTtl.toSeconds() + " seconds", client.deviceInfo(), ip(client));
        return new TokenPair(access.token(), accessTokenTtl, refresh);
    }

    /** Refuses, and records, an attempt for an email or from an address that must wait. */
    private void refuseIfThrottled(byte[] emailHash, ClientInfo client) {
        Optional<AuthAttemptDao.Throttle> throttle = throttle(emailHash, client);
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
                handle.attach(SecurityIncidentDao.class).failedLogins(ip(client), facilitatorId, lockout.reason(), lockout.retryAfterSeconds())));
    }

    private Optional<AuthAttemptDao.Throttle> throttle(byte[] emailHash, ClientInfo client) {
        return transactions.inTransaction(ActorContext.system(client.requestId()), handle ->
                handle.attach(AuthAttemptDao.class).throttle(emailHash, ip(client)));
    }

    private static void insertAttempt(Handle handle, byte[] emailHash, UUID facilitatorId, ClientInfo client, String outcome) {
        handle.attach(AuthAttemptDao.class).record(emailHash, facilitatorId, ip(client), client.userAgent(), outcome);
    }

    private static String ip(ClientInfo client) {
        return client.ipAddress() == null ? null : client.ipAddress().getHostAddress();
    }

    private static ActorContext actor(AuthenticatedFacilitator who) {
        return who.actor();
    }
}
