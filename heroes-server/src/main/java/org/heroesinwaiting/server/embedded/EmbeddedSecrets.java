package org.heroesinwaiting.server.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.heroesinwaiting.server.secrets.SecretFiles;
import org.heroesinwaiting.sql.LoginPasswords;

/**
 * The passwords of the embedded database's superuser and logins, generated on first start into
 * {@code secrets.properties} in the data dir (0600) and read back on every start.
 *
 * @param superuser password of {@code postgres}
 * @param logins passwords of the Heroes logins
 */
public record EmbeddedSecrets(String superuser, LoginPasswords logins) {

    static final String FILE = "secrets.properties";

    /**
     * @param dataDir the data dir
     * @return the secrets there, created when absent
     */
    public static EmbeddedSecrets loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            EmbeddedSecrets generated = new EmbeddedSecrets(SecretFiles.randomSecret(), new LoginPasswords(
                    SecretFiles.randomSecret(), SecretFiles.randomSecret(), SecretFiles.randomSecret(),
                    SecretFiles.randomSecret(), SecretFiles.randomSecret()));
            generated.save(file);
            return generated;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new EmbeddedSecrets(required(properties, file, "postgres"), new LoginPasswords(
                required(properties, file, "heroes_owner"), required(properties, file, "heroes_app"),
                required(properties, file, "heroes_readonly"), required(properties, file, "heroes_backup"),
                required(properties, file, "heroes_analytics")));
    }

    private void save(Path file) {
        Properties properties = new Properties();
        properties.setProperty("postgres", superuser);
        properties.setProperty("heroes_owner", logins.owner());
        properties.setProperty("heroes_app", logins.app());
        properties.setProperty("heroes_readonly", logins.readonly());
        properties.setProperty("heroes_backup", logins.backup());
        properties.setProperty("heroes_analytics", logins.analytics());
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "Heroes in Waiting: passwords of the embedded database. Keep this file private.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecretFiles.write(file, text.toString());
    }

    private static String required(Properties properties, Path file, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(file + " has no password for " + key + "; restore it or move the data dir away");
        }
        return value;
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "EmbeddedSecrets[...]";
    }
}
