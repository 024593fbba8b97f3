package org.heroesinwaiting.server.archfixture.testkit.internal;

/** Private to the fixture's testkit. */
public class Secret {
}
