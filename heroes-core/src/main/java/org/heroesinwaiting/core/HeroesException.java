package org.heroesinwaiting.core;

/**
 * The root of every exception Heroes in Waiting throws on purpose.
 *
 * <p>Subclasses say what failed ({@code ClassroomFullException}, {@code UnableToRestoreException}),
 * so a host can catch the whole family in one place and still tell the cases apart:
 *
 * <pre>{@code
 * try {
 *     HeroesDatabase.migrate(ownerDataSource);
 * } catch (HeroesException e) {
 *     log.error("Heroes in Waiting refused: {}", e.getMessage());
 * }
 * }</pre>
 */
public abstract class HeroesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, in words a developer or operator can act on
     */
    protected HeroesException(String message) {
        super(message);
    }

    /**
     * @param message what failed, in words a developer or operator can act on
     * @param cause the underlying failure
     */
    protected HeroesException(String message, Throwable cause) {
        super(message, cause);
    }
}
