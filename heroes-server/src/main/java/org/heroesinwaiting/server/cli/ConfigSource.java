package org.heroesinwaiting.server.cli;

import java.util.function.Supplier;
import org.heroesinwaiting.server.config.ServerConfig;

/**
 * The configuration, read once and only when a command needs it (so {@code --help} works whatever
 * the environment holds).
 */
public final class ConfigSource implements Supplier<ServerConfig> {

    private final Supplier<ServerConfig> reader;
    private ServerConfig config;

    /**
     * @param reader reads the configuration ({@code EnvironmentConfig.read(System.getenv())})
     */
    public ConfigSource(Supplier<ServerConfig> reader) {
        this.reader = reader;
    }

    @Override
    public synchronized ServerConfig get() {
        if (config == null) {
            config = reader.get();
        }
        return config;
    }
}
