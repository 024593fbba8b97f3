package org.heroesinwaiting.server.archfixture.server;

import org.heroesinwaiting.server.archfixture.testkit.internal.Secret;

/** A deliberate violation: another module's internal package. */
public class UsesTestkitInternals {
    public String peek() {
        return new Secret().toString();
    }
}
