package org.heroesinwaiting.server.archfixture.core;

import org.heroesinwaiting.server.archfixture.server.Endpoint;

/** A deliberate violation: core must not use server. */
public class UsesServer {
    public String call() {
        return new Endpoint().toString();
    }
}
