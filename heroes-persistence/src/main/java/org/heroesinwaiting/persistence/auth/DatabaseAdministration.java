package org.heroesinwaiting.persistence.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.audit.SecurityIncident;
import org.heroesinwaiting.core.auth.Administration;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.EmailTakenException;
import org.heroesinwaiting.core.auth.FacilitatorSummary;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.auth.PasswordPolicy;
import org.heroesinwaiting.persistence.KeysetCursor;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * What an administrator does: create, list, disable and re-enable facilitators, and handle
 * security incidents. Every method runs as the admin (row level security lets an admin see every
 * tenant) and refuses anyone else.
 */
public final class DatabaseAdministration implements Administration {

    private final TransactionRunner transactions;
    private final PasswordHasher hasher;
    private final HashingPool hashing;

    /**
     * @param transactions on the application login
     * @param hasher the password hasher
     * @param hashing where hashing runs
     */
    public DatabaseAdministration(TransactionRunner transactions, PasswordHasher hasher, HashingPool hashing) {
        this.transactions = requireNonNull(transactions, "transactions");
        this.hasher = requireNonNull(hasher, "hasher");
        this.hashing = requireNonNull(hashing, "hashing");
    }

    /**
     * @param admin who asks
     * @param account the account to create (a facilitator or another admin)
     * @return its id
     * @throws EmailTakenException when the email has an account
     */
    @Override
    public UUID createFacilitator(AuthenticatedFacilitator admin, NewFacilitator account) {
        PasswordPolicy.standard().check(account.password(), account.email(), account.displayName());
        String hash = hashing.run(() -> hasher.hash(account.password()));
        UUID id = UUID.randomUUID();
        try {
            transactions.useTransaction(actor(admin), handle ->
                    handle.attach(FacilitatorDao.class).insert(id, account.email(), hash, account.displayName(), account.role()));
        } catch (DuplicateException e) {
            throw new EmailTakenException();
        }
        return id;
    }

    /**
     * @param admin who asks
     * @param limit how many (1 to 200)
     * @param cursor where the previous page ended, or {@code null}
     * @return the accounts, oldest first
     */
    @Override
    public Page<FacilitatorSummary> facilitators(AuthenticatedFacilitator admin, int limit, String cursor) {
        KeysetCursor after = KeysetCursor.parse(cursor);
        List<FacilitatorSummary> rows = transactions.inTransaction(actor(admin), handle -> handle.attach(FacilitatorDao.class)
                .listAfter(after == null ? null : after.at(), after == null ? null : after.id(), limit + 1));
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.createdAt(), row.id()));
    }

    /**
     * Disables or re-enables an account; disabling ends every session of it.
     *
     * @param admin who asks
     * @param id the account
     * @param active whether it may log in
     * @return the account as it is now, empty when there is none
     */
    @Override
    public Optional<FacilitatorSummary> setActive(AuthenticatedFacilitator admin, UUID id, boolean active) {
        return transactions.inTransaction(actor(admin), handle -> {
            Optional<FacilitatorSummary> updated = handle.attach(FacilitatorDao.class).setActive(id, active);
            if (updated.isPresent() && !active) {
                handle.attach(FacilitatorSessionDao.class).revokeAll(id, "account_disabled");
            }
            return updated;
        });
    }

    /**
     * @param admin who asks
     * @param status only incidents in this status, or {@code null}
     * @param type only of this type, or {@code null}
     * @param since only from this moment on, or {@code null}
     * @param limit how many (1 to 200)
     * @param cursor where the previous page ended, or {@code null}
     * @return incidents, newest first
     */
    @Override
    public Page<SecurityIncident> incidents(AuthenticatedFacilitator admin, String status, String type, Instant since, int limit,
            String cursor) {
        if (status != null) {
            SecurityIncident.validStatus(status);
        }
        KeysetCursor before = KeysetCursor.parse(cursor);
        List<SecurityIncident> rows = transactions.inTransaction(actor(admin), handle -> handle.attach(SecurityIncidentDao.class)
                .list(status, type, since, before == null ? null : before.at(), before == null ? null : before.id(), limit + 1));
        return KeysetCursor.page(rows, limit, row -> new KeysetCursor(row.createdAt(), row.id()));
    }

    /**
     * @param admin who asks
     * @param id the incident
     * @param status {@code open}, {@code acknowledged} or {@code resolved}
     * @return the incident as it is now, empty when there is none
     */
    @Override
    public Optional<SecurityIncident> setIncidentStatus(AuthenticatedFacilitator admin, UUID id, String status) {
        String valid = SecurityIncident.validStatus(status);
        return transactions.inTransaction(actor(admin), handle -> handle.attach(SecurityIncidentDao.class).setStatus(id, valid));
    }

    private static ActorContext actor(AuthenticatedFacilitator admin) {
        if (!admin.isAdmin()) {
            throw new IllegalArgumentException("only an administrator may do this");
        }
        return ActorContext.session(admin.facilitatorId(), admin.sessionId(), true, null, null);
    }
}
