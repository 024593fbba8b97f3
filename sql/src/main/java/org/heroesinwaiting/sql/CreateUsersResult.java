package org.heroesinwaiting.sql;

import java.util.List;

/**
 * What {@link HeroesDatabase#createUsers} did.
 *
 * @param logins every login now present with the right attributes
 * @param passwordsSet the logins whose password was set
 */
public record CreateUsersResult(List<String> logins, List<String> passwordsSet) {

    /** Copies. */
    public CreateUsersResult {
        logins = List.copyOf(logins);
        passwordsSet = List.copyOf(passwordsSet);
    }
}
