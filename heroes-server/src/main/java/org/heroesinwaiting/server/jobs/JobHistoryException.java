package org.heroesinwaiting.server.jobs;

import org.heroesinwaiting.core.HeroesException;

/** The job history ({@code job_runs}) cannot be written or read. */
public final class JobHistoryException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, and what to do
     */
    public JobHistoryException(String message) {
        super(message);
    }

    /**
     * @param message what failed, and what to do
     * @param cause the underlying failure
     */
    public JobHistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
