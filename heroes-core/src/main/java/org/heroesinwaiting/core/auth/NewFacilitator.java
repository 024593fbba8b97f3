package org.heroesinwaiting.core.auth;

import java.util.Locale;
import java.util.regex.Pattern;
import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

/**
 * An account to create. Its rules live here, once: every place that creates an account (the
 * registration, an administrator, {@code heroes admin create}) gets the same answer, with every
 * problem named. The password's strength is {@link PasswordPolicy}'s, checked where it is hashed.
 *
 * @param email the login, normalised to trimmed lower case; at most {@value #MAX_EMAIL_LENGTH} characters
 * @param password the chosen password
 * @param displayName how the app greets them, 1 to {@value #MAX_NAME_LENGTH} characters (stripped)
 * @param role {@code facilitator} or {@code admin}
 */
public record NewFacilitator(String email, String password, String displayName, String role) {

    /** The longest email address (RFC 5321's path limit less the brackets). */
    public static final int MAX_EMAIL_LENGTH = 254;
    /** The longest display name. */
    public static final int MAX_NAME_LENGTH = 100;
    /** A role an account may have. */
    public static final String FACILITATOR = "facilitator";
    /** The other role. */
    public static final String ADMIN = "admin";

    /** Something, an at sign, something with a dot: what the app can check without mailing it. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /**
     * Normalises and validates.
     *
     * @throws InvalidInputException naming each field that is missing or breaks a rule
     */
    public NewFacilitator {
        InputChecks checks = new InputChecks();
        if (checks.require("email", email)) {
            email = normaliseEmail(email);
            checks.check(email.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(email).matches(), "email", "must be an email address");
        }
        checks.require("password", password);
        if (checks.require("display_name", displayName)) {
            displayName = displayName.strip();
            checks.check(!displayName.isEmpty() && displayName.length() <= MAX_NAME_LENGTH, "display_name",
                    "must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (checks.require("role", role)) {
            checks.check(role.equals(FACILITATOR) || role.equals(ADMIN), "role", "must be facilitator or admin");
        }
        checks.throwIfAny();
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
