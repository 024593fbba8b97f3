package org.heroesinwaiting.core.tools;

import org.heroesinwaiting.core.HeroesException;

/** A program the library runs is not installed; the message says what to install. */
public final class ToolNotFoundException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final String program;

    /**
     * @param program the program ({@code pg_dump})
     * @param install what provides it ({@code postgresql-client-15 (Debian)})
     */
    public ToolNotFoundException(String program, String install) {
        super(program + " is not installed: install " + install);
        this.program = program;
    }

    /** @return the program that was looked for */
    public String program() {
        return program;
    }
}
