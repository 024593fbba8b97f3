package org.heroesinwaiting.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Which PostgreSQL the testkit uses. Read from system properties ({@code heroes.testkit.provider},
 * {@code heroes.testkit.url}, {@code heroes.testkit.user}, {@code heroes.testkit.password}) or, when
 * a property is absent, from the environment ({@code HEROES_TESTKIT_PROVIDER}, {@code _URL},
 * {@code _USER}, {@code _PASSWORD}).
 *
 * <pre>{@code
 * mvn verify -Dheroes.testkit.url=jdbc:postgresql://db:5432/postgres -Dheroes.testkit.user=postgres
 * }</pre>
 *
 * @param provider the provider to use, or {@code null} to choose automatically
 * @param url JDBC URL of an external server's maintenance database, or {@code null}
 * @param user the external server's superuser
 * @param password the external superuser's password ({@code ""} for none)
 */
public record TestkitSettings(Provider provider, String url, String user, String password) {

    /** Normalises blanks to absent values and fills in the default superuser. */
    public TestkitSettings {
        url = blankToNull(url);
        user = blankToNull(user) == null ? "postgres" : user;
        password = password == null ? "" : password;
    }

    /**
     * @return settings that let the testkit choose
     */
    public static TestkitSettings automatic() {
        return new TestkitSettings(null, null, null, null);
    }

    /**
     * @return settings that force the embedded server
     */
    public static TestkitSettings embedded() {
        return new TestkitSettings(Provider.EMBEDDED, null, null, null);
    }

    /**
     * @param url JDBC URL of the server's maintenance database ({@code jdbc:postgresql://host:5432/postgres})
     * @param user a superuser
     * @param password its password
     * @return settings for a server you run
     */
    public static TestkitSettings external(String url, String user, String password) {
        return new TestkitSettings(Provider.EXTERNAL, url, user, password);
    }

    /**
     * @return the settings of this JVM's system properties and environment
     */
    public static TestkitSettings fromEnvironment() {
        return from(System::getProperty, System::getenv);
    }

    /**
     * @param properties looks up a system property ({@code heroes.testkit.url})
     * @param environment looks up an environment variable ({@code HEROES_TESTKIT_URL})
     * @return the settings those sources give; a property wins over the variable
     * @throws TestkitException when the provider is not one of {@link Provider}
     */
    public static TestkitSettings from(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        UnaryOperator<String> read = key -> {
            String value = properties.apply("heroes.testkit." + key);
            return value != null ? value : environment.apply("HEROES_TESTKIT_" + key.toUpperCase(Locale.ROOT));
        };
        return new TestkitSettings(parseProvider(read.apply("provider")), read.apply("url"), read.apply("user"),
                read.apply("password"));
    }

    /**
     * @return the provider asked for, empty to choose automatically
     */
    public Optional<Provider> requestedProvider() {
        return Optional.ofNullable(provider);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TestkitSettings[provider=" + (provider == null ? "automatic" : provider) + ", url=" + url
                + ", user=" + user + "]";
    }

    private static Provider parseProvider(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Provider.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TestkitException("heroes.testkit.provider is '" + value + "'; use one of "
                    + Arrays.toString(Provider.values()).toLowerCase(Locale.ROOT), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
