package org.heroesinwaiting.server.archfixture.server;

/** The target of a deliberate violation. */
public class Endpoint {
}
