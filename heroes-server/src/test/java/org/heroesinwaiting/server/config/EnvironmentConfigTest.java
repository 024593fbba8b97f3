package org.heroesinwaiting.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.server.runtime.ServerLibrary;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    @Test
    void nothingSetGivesTheDocumentedDefaults() throws Exception {
        ServerConfig config = EnvironmentConfig.read(Map.of());

        assertThat(config.embeddedDatabase()).isTrue();
        assertThat(config.dataDir()).isEqualTo(Path.of("heroes-data").toAbsolutePath());
        assertThat(config.http().port()).isEqualTo(7070);
        assertThat(config.http().maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.http().adminAllow().contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(config.http().adminAllow().contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(config.http().adminAllow().contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(config.http().trustedProxies().blocks()).isEmpty();
        assertThat(config.auth().accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.auth().refreshTokenTtl()).isEqualTo(Duration.ofDays(30));
        assertThat(config.auth().studentTokenTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(config.auth().issuer()).isEqualTo("heroes-in-waiting");
        assertThat(config.auth().openRegistration()).isEmpty();
        assertThat(config.database().user()).isEqualTo("heroes_app");
        assertThat(config.database().ownerUser()).isEqualTo("heroes_owner");
        assertThat(config.database().migrateOnStart()).isFalse();
        assertThat(config.backup().dir()).isEqualTo(config.dataDir().resolve("backups"));
        assertThat(config.analytics().url()).isEmpty();
        assertThat(config.analytics().user()).isEqualTo("heroes_analytics");
        assertThat(config.analytics().maxReplayLag()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyVariableIsRead() {
        ServerConfig config = EnvironmentConfig.read(Map.ofEntries(
                Map.entry("HEROES_DATABASE_URL", "jdbc:postgresql://db:5432/heroes"),
                Map.entry("HEROES_DATABASE_USER", "app"),
                Map.entry("HEROES_DATABASE_PASSWORD", "app-password-1"),
                Map.entry("HEROES_PORT", "8080"),
                Map.entry("HEROES_MAX_BODY_BYTES", "2048"),
                Map.entry("HEROES_ACCESS_TOKEN_TTL", "PT5M"),
                Map.entry("HEROES_OPEN_REGISTRATION", "true"),
                Map.entry("HEROES_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32"),
                Map.entry("HEROES_CONTENT_BASE_URL", "https://cdn.example.org/media"),
                Map.entry("HEROES_MIGRATE_ON_START", "TRUE"),
                Map.entry("HEROES_JWT_ISSUER", "school-district"),
                Map.entry("HEROES_ANALYTICS_DATABASE_URL", "jdbc:postgresql://replica:5432/heroes"),
                Map.entry("HEROES_ANALYTICS_DATABASE_PASSWORD", "analytics-password-1"),
                Map.entry("HEROES_ANALYTICS_MAX_REPLAY_LAG", "PT30S")));

        assertThat(config.embeddedDatabase()).isFalse();
        assertThat(config.database().url()).contains("jdbc:postgresql://db:5432/heroes");
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.http().maxBodyBytes()).isEqualTo(2048);
        assertThat(config.auth().accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.auth().openRegistration()).contains(true);
        assertThat(config.http().trustedProxies().blocks()).hasSize(2);
        assertThat(config.content().baseUrl()).hasValueSatisfying(uri -> assertThat(uri.getHost()).isEqualTo("cdn.example.org"));
        assertThat(config.database().migrateOnStart()).isTrue();
        assertThat(config.auth().issuer()).isEqualTo("school-district");
        assertThat(config.database().toString()).doesNotContain("app-password-1");
        assertThat(config.analytics().url()).contains("jdbc:postgresql://replica:5432/heroes");
        assertThat(config.analytics().maxReplayLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.analytics().toString()).doesNotContain("analytics-password-1");
    }

    @Test
    void theHashingPoolsSettingsReachTheLibraryAndDefaultToItsOwn(@TempDir Path dataDir) {
        HeroesSettings configured = ServerLibrary.settings(EnvironmentConfig.read(Map.of(
                "HEROES_DATA_DIR", dataDir.toString(),
                "HEROES_HASHING_THREADS", "3",
                "HEROES_HASHING_QUEUE", "16",
                "HEROES_HASHING_BUSY_SHARE", "0.25")));
        HeroesSettings defaults = ServerLibrary.settings(EnvironmentConfig.read(Map.of("HEROES_DATA_DIR", dataDir.toString())));
        HeroesSettings library = HeroesSettings.of(defaults.keyring());

        assertThat(configured.hashingThreads()).isEqualTo(3);
        assertThat(configured.hashingQueue()).isEqualTo(16);
        assertThat(configured.hashingBusyShare()).isEqualTo(0.25);
        assertThat(defaults.hashingThreads()).isEqualTo(library.hashingThreads());
        assertThat(defaults.hashingQueue()).isEqualTo(library.hashingQueue());
        assertThat(defaults.hashingBusyShare()).isEqualTo(library.hashingBusyShare());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HEROES_PORT|70000|must be a port number",
        "HEROES_PORT|seven|must be a port number",
        "HEROES_MAX_BODY_BYTES|-1|must be a positive number of bytes",
        "HEROES_ACCESS_TOKEN_TTL|15 minutes|ISO-8601 duration",
        "HEROES_REFRESH_TOKEN_TTL|PT0S|ISO-8601 duration",
        "HEROES_STUDENT_TOKEN_TTL|-PT8H|ISO-8601 duration",
        "HEROES_OPEN_REGISTRATION|yes|must be true or false",
        "HEROES_MIGRATE_ON_START|1|must be true or false",
        "HEROES_ADMIN_ALLOW|localhost|is not an IP address or CIDR block",
        "HEROES_TRUSTED_PROXIES|10.0.0.0/33|prefix length outside",
        "HEROES_DATABASE_URL|postgres://db/heroes|must be a JDBC URL",
        "HEROES_ANALYTICS_DATABASE_URL|replica:5432/heroes|must be a JDBC URL",
        "HEROES_ANALYTICS_MAX_REPLAY_LAG|PT0S|ISO-8601 duration",
        "HEROES_CONTENT_BASE_URL|cdn.example.org|must be an absolute http(s) URL",
        "HEROES_DRAIN_TIMEOUT|soon|ISO-8601 duration",
        "HEROES_HASHING_THREADS|0|whole number of at least 1",
        "HEROES_HASHING_QUEUE|many|whole number of at least 1",
        "HEROES_HASHING_BUSY_SHARE|1.5|share above 0 and at most 1",
        "HEROES_HASHING_BUSY_SHARE|NaN|share above 0 and at most 1",
    })
    void anInvalidValueStopsWithOneLineNamingTheVariable(String variable, String value, String problem) {
        assertThatThrownBy(() -> EnvironmentConfig.read(Map.of(variable, value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(variable + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .satisfies(e -> assertThat(((ConfigurationException) e).variable()).isEqualTo(variable));
    }

    @Test
    void cidrBlocksMatchTheirNetworksOnly() throws Exception {
        CidrBlock v4 = CidrBlock.parse("10.20.0.0/16");
        CidrBlock v6 = CidrBlock.parse("2001:db8::/32");
        CidrBlock single = CidrBlock.parse("192.0.2.7");

        assertThat(v4.contains(InetAddress.getByName("10.20.255.1"))).isTrue();
        assertThat(v4.contains(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(v4.contains(InetAddress.getByName("::ffff:10.20.1.1"))).as("IPv4-mapped").isTrue();
        assertThat(v4.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
        assertThat(v6.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(single.contains(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(single.contains(InetAddress.getByName("192.0.2.8"))).isFalse();
        assertThat(CidrBlock.parse("10.20.30.40/16").toString()).isEqualTo("10.20.0.0/16");
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.5"))).isTrue();
    }
}
