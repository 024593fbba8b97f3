package org.heroesinwaiting.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The passwords {@link HeroesDatabase#createUsers} sets on the logins. A {@code null} password
 * leaves that login's current password as it is (a new login then has none until one is set).
 *
 * <pre>{@code
 * LoginPasswords passwords = LoginPasswords.none()
 *         .withOwner(System.getenv("HEROES_OWNER_PASSWORD"))
 *         .withApp(System.getenv("HEROES_DATABASE_PASSWORD"));
 * }</pre>
 *
 * @param owner password of {@code heroes_owner}
 * @param app password of {@code heroes_app}
 * @param readonly password of {@code heroes_readonly}
 * @param backup password of {@code heroes_backup}
 * @param analytics password of {@code heroes_analytics}
 */
public record LoginPasswords(String owner, String app, String readonly, String backup, String analytics) {

    /** The logins, in the order of the components. */
    public static final List<String> LOGINS =
            List.of("heroes_owner", "heroes_app", "heroes_readonly", "heroes_backup", "heroes_analytics");

    /** The shortest password a login accepts. */
    public static final int MINIMUM_LENGTH = 12;

    /**
     * @throws IllegalArgumentException when a given password is shorter than {@value #MINIMUM_LENGTH}
     */
    public LoginPasswords {
        check("owner", owner);
        check("app", app);
        check("readonly", readonly);
        check("backup", backup);
        check("analytics", analytics);
    }

    /**
     * @return passwords that change nothing
     */
    public static LoginPasswords none() {
        return new LoginPasswords(null, null, null, null, null);
    }

    /**
     * @param password the new password of {@code heroes_owner}
     * @return a copy with it
     */
    public LoginPasswords withOwner(String password) {
        return new LoginPasswords(password, app, readonly, backup, analytics);
    }

    /**
     * @param password the new password of {@code heroes_app}
     * @return a copy with it
     */
    public LoginPasswords withApp(String password) {
        return new LoginPasswords(owner, password, readonly, backup, analytics);
    }

    /**
     * @param password the new password of {@code heroes_readonly}
     * @return a copy with it
     */
    public LoginPasswords withReadonly(String password) {
        return new LoginPasswords(owner, app, password, backup, analytics);
    }

    /**
     * @param password the new password of {@code heroes_backup}
     * @return a copy with it
     */
    public LoginPasswords withBackup(String password) {
        return new LoginPasswords(owner, app, readonly, password, analytics);
    }

    /**
     * @param password the new password of {@code heroes_analytics}
     * @return a copy with it
     */
    public LoginPasswords withAnalytics(String password) {
        return new LoginPasswords(owner, app, readonly, backup, password);
    }

    /**
     * @return the logins whose password these set
     */
    public List<String> loginsWithPassword() {
        List<String> logins = new ArrayList<>();
        String[] values = {owner, app, readonly, backup, analytics};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                logins.add(LOGINS.get(i));
            }
        }
        return List.copyOf(logins);
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "LoginPasswords" + loginsWithPassword();
    }

    private static void check(String login, String password) {
        if (password != null && password.length() < MINIMUM_LENGTH) {
            throw new IllegalArgumentException("the " + login + " password must have at least "
                    + MINIMUM_LENGTH + " characters");
        }
    }
}
