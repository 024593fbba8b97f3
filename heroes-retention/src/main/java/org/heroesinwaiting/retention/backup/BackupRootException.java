package org.heroesinwaiting.retention.backup;

import org.heroesinwaiting.core.HeroesException;

/** The backup root cannot hold backups safely: it is not a folder, cannot be made, or others may write to it. */
public final class BackupRootException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with it and what to do */
    public BackupRootException(String message) {
        super(message);
    }
}
