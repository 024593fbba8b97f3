package org.heroesinwaiting.testkit.internal;

import org.testcontainers.DockerClientFactory;

/** Asks Testcontainers whether a Docker engine answers; never throws. */
public final class DockerDetection {

    private DockerDetection() {
    }

    /**
     * @return true when containers can be started here
     */
    public static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
