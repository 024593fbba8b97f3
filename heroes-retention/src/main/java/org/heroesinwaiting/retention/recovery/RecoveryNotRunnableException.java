package org.heroesinwaiting.retention.recovery;

import org.heroesinwaiting.core.HeroesException;

/** A recovery request this installation cannot execute: a kind whose tools or superuser it lacks, or one another command runs. */
public final class RecoveryNotRunnableException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param message why, and what runs it instead */
    public RecoveryNotRunnableException(String message) {
        super(message);
    }
}
