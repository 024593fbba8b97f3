package org.heroesinwaiting.server.archfixture.core;

/** A deliberate violation: an exception that is not a HeroesException. */
public class PlainFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
}
