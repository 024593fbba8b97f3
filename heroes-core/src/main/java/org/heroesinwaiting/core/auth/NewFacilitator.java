package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An account to create.
 *
 * @param email the login, normalised to trimmed lower case
 * @param password the chosen password (checked by {@link PasswordPolicy})
 * @param displayName how the app greets them
 * @param role {@code facilitator} or {@code admin}
 */
public record NewFacilitator(String email, String password, String displayName, String role) {

    /** Normalises and validates. */
    public NewFacilitator {
        requireNonNull(email, "email");
        requireNonNull(password, "password");
        requireNonNull(displayName, "displayName");
        requireNonNull(role, "role");
        email = normaliseEmail(email);
        displayName = displayName.strip();
        if (!role.equals("facilitator") && !role.equals("admin")) {
            throw new IllegalArgumentException("role must be facilitator or admin, not " + role);
        }
    }

    /**
     * @param email as typed
     * @return as stored and compared: trimmed, lower case
     */
    public static String normaliseEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "NewFacilitator[" + email + ", " + role + "]";
    }
}
