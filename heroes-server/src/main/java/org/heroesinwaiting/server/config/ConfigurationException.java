package org.heroesinwaiting.server.config;

import org.heroesinwaiting.core.HeroesException;

/** A configuration value is missing or malformed; the message is one line naming the variable. */
public class ConfigurationException extends HeroesException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    /**
     * @param variable the environment variable at fault, e.g. {@code HEROES_PORT}
     * @param problem what is wrong with it
     */
    public ConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    /** @return the environment variable at fault */
    public String variable() {
        return variable;
    }
}
