package org.heroesinwaiting.server.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.heroesinwaiting.server.config.ServerConfig;

/**
 * The JWT keyring: {@code HEROES_JWT_KEYS} when set, else {@code jwt-keys.json} in the data dir,
 * generated on first start with one active 256-bit key and only its owner allowed to read it.
 */
public final class JwtKeyringFile {

    /** The generated file's name in the data dir. */
    public static final String FILE = "jwt-keys.json";

    private JwtKeyringFile() {
    }

    /**
     * @param config the configuration
     * @return the keyring's path, generated when needed
     */
    public static Path ensure(ServerConfig config) {
        if (config.auth().jwtKeys().isPresent()) {
            return config.auth().jwtKeys().get();
        }
        Path file = config.dataDir().resolve(FILE);
        if (!Files.exists(file)) {
            String kid = YearMonth.now(ZoneOffset.UTC).toString();
            SecretFiles.write(file, "{\"keys\": [{\"kid\": \"" + kid + "\", \"secret\": \""
                    + SecretFiles.randomSecret() + "\", \"active\": true}]}\n");
        }
        return file;
    }
}
