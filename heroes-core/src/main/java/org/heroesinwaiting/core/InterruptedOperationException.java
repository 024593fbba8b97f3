package org.heroesinwaiting.core;

/** The thread was interrupted while it waited (for a hash, before a retry); its interrupt flag is set again. */
public final class InterruptedOperationException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what what it was doing
     * @param cause the interruption
     */
    public InterruptedOperationException(String what, InterruptedException cause) {
        super("interrupted while " + what, cause);
    }
}
