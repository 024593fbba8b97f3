package org.heroesinwaiting.core.jobs;

import org.heroesinwaiting.core.HeroesException;

/** A job's run failed; nothing it did is left half done. The cause says why. */
public final class JobFailedException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param job the job's name
     * @param cause why
     */
    public JobFailedException(String job, Throwable cause) {
        super(job + " failed: " + cause.getMessage(), cause);
    }
}
