package org.heroesinwaiting.core.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.Page;
import org.heroesinwaiting.core.audit.SecurityIncident;

/**
 * What an administrator does: create, list, disable and re-enable facilitators, and handle
 * security incidents. Every method acts as the administrator who asks (row level security lets an
 * administrator see every tenant) and refuses anyone else.
 *
 * <pre>{@code
 * Administration admin = heroes.administration();
 * Page<FacilitatorSummary> first = admin.facilitators(who, 50, null);
 * }</pre>
 */
public interface Administration {

    /**
     * @param admin who asks
     * @param account the account to create (a facilitator or another administrator)
     * @return its id
     * @throws WeakPasswordException when the password fails the policy
     * @throws EmailTakenException when the email has an account
     * @throws IllegalArgumentException when {@code admin} is no administrator
     */
    UUID createFacilitator(AuthenticatedFacilitator admin, NewFacilitator account);

    /**
     * @param admin who asks
     * @param limit how many (1 to 200)
     * @param cursor where the previous page ended, or {@code null}
     * @return the accounts, oldest first
     */
    Page<FacilitatorSummary> facilitators(AuthenticatedFacilitator admin, int limit, String cursor);

    /**
     * Disables or re-enables an account; disabling ends every session of it.
     *
     * @param admin who asks
     * @param id the account
     * @param active whether it may log in
     * @return the account as it is now, empty when there is none
     */
    Optional<FacilitatorSummary> setActive(AuthenticatedFacilitator admin, UUID id, boolean active);

    /**
     * @param admin who asks
     * @param status only incidents in this status, or {@code null}
     * @param type only of this type, or {@code null}
     * @param since only from this moment on, or {@code null}
     * @param limit how many (1 to 200)
     * @param cursor where the previous page ended, or {@code null}
     * @return incidents, newest first
     */
    Page<SecurityIncident> incidents(AuthenticatedFacilitator admin, String status, String type, Instant since, int limit,
            String cursor);

    /**
     * @param admin who asks
     * @param id the incident
     * @param status {@code open}, {@code acknowledged} or {@code resolved}
     * @return the incident as it is now, empty when there is none
     */
    Optional<SecurityIncident> setIncidentStatus(AuthenticatedFacilitator admin, UUID id, String status);
}
