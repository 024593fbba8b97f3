package org.heroesinwaiting.retention.backup;

import org.heroesinwaiting.core.HeroesException;

/** The backup keyring is unusable, or lacks the key a backup is encrypted with. */
public final class BackupKeysException extends HeroesException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what to do */
    public BackupKeysException(String message) {
        super(message);
    }
}
