package org.heroesinwaiting.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link HeroesDatabase#bootstrap} left in place.
 *
 * @param database the database bootstrapped
 * @param serverVersion the server's version, as {@code server_version} shows it
 * @param extensions the extensions installed in the database (plpgsql aside)
 * @param roles the group roles and the owner that exist in the cluster
 */
public record BootstrapResult(String database, String serverVersion, List<String> extensions, List<String> roles) {

    /** Validates and copies. */
    public BootstrapResult {
        requireNonNull(database, "database");
        requireNonNull(serverVersion, "serverVersion");
        extensions = List.copyOf(extensions);
        roles = List.copyOf(roles);
    }
}
