package org.heroesinwaiting.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads {@link ServerConfig} from environment variables (DESIGN.md section 5). The only place
 * that knows their names; an invalid value stops with a {@link ConfigurationException} naming it.
 *
 * <pre>{@code
 * ServerConfig config = EnvironmentConfig.read(System.getenv());
 * }</pre>
 */
public final class EnvironmentConfig {

    private final Map<String, String> environment;

    private EnvironmentConfig(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * @param environment the variables, usually {@code System.getenv()}
     * @return the configuration they give
     * @throws ConfigurationException for the first invalid variable
     */
    public static ServerConfig read(Map<String, String> environment) {
        return new EnvironmentConfig(environment).config();
    }

    private ServerConfig config() {
        Path dataDir = path("HEROES_DATA_DIR").orElse(Path.of("heroes-data")).toAbsolutePath().normalize();
        Optional<String> url = jdbcUrl("HEROES_DATABASE_URL");
        ServerConfig.Database database = new ServerConfig.Database(
                url,
                text("HEROES_DATABASE_USER").orElse("heroes_app"),
                text("HEROES_DATABASE_PASSWORD").orElse(""),
                text("HEROES_OWNER_USER").orElse("heroes_owner"),
                text("HEROES_OWNER_PASSWORD").orElse(""),
                text("HEROES_SUPERUSER").orElse("postgres"),
                text("HEROES_SUPERUSER_PASSWORD").orElse(""),
                text("HEROES_READONLY_PASSWORD").orElse(""),
                text("HEROES_ANALYTICS_PASSWORD").orElse(""),
                bool("HEROES_MIGRATE_ON_START").orElse(false));
        ServerConfig.Http http = new ServerConfig.Http(
                port("HEROES_PORT").orElse(7070),
                bytes("HEROES_MAX_BODY_BYTES").orElse(1L << 20),
                cidrs("HEROES_ADMIN_ALLOW").orElse(CidrList.parse("127.0.0.1/32,::1/128")),
                cidrs("HEROES_TRUSTED_PROXIES").orElse(CidrList.none()),
                duration("HEROES_DRAIN_TIMEOUT", true).orElse(Duration.ofSeconds(10)));
        ServerConfig.Auth auth = new ServerConfig.Auth(
                path("HEROES_JWT_KEYS"),
                text("HEROES_JWT_ISSUER").orElse("heroes-in-waiting"),
                duration("HEROES_ACCESS_TOKEN_TTL").orElse(Duration.ofMinutes(15)),
                duration("HEROES_REFRESH_TOKEN_TTL").orElse(Duration.ofDays(30)),
                duration("HEROES_STUDENT_TOKEN_TTL").orElse(Duration.ofHours(8)),
                bool("HEROES_OPEN_REGISTRATION"),
                text("HEROES_ADMIN_PASSWORD"),
                new ServerConfig.Hashing(count("HEROES_HASHING_THREADS"), count("HEROES_HASHING_QUEUE"), share("HEROES_HASHING_BUSY_SHARE")));
        ServerConfig.Content content = new ServerConfig.Content(path("HEROES_CONTENT_DIR"), uri("HEROES_CONTENT_BASE_URL"));
        ServerConfig.Analytics analytics = new ServerConfig.Analytics(
                jdbcUrl("HEROES_ANALYTICS_DATABASE_URL"),
                text("HEROES_ANALYTICS_DATABASE_USER").orElse("heroes_analytics"),
                text("HEROES_ANALYTICS_DATABASE_PASSWORD").orElse(""),
                duration("HEROES_ANALYTICS_MAX_REPLAY_LAG").orElse(Duration.ofMinutes(5)));
        ServerConfig.Backup backup = new ServerConfig.Backup(
                path("HEROES_BACKUP_DIR").orElse(dataDir.resolve("backups")),
                text("HEROES_BACKUP_USER").orElse("heroes_backup"),
                text("HEROES_BACKUP_PASSWORD").orElse(""),
                path("HEROES_BACKUP_KEYS"),
                path("HEROES_PG_BIN"),
                text("HEROES_PHYSICAL_BACKUPS").orElse("auto"),
                duration("HEROES_WAL_ARCHIVE_MAX_DELAY").orElse(Duration.ofMinutes(10)));
        return new ServerConfig(dataDir, database, http, auth, content, analytics, backup);
    }

    private Optional<String> text(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private Optional<Path> path(String name) {
        return text(name).map(value -> {
            try {
                return Path.of(value).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw new ConfigurationException(name, "is not a valid path: " + value);
            }
        });
    }

    private Optional<Integer> port(String name) {
        return number(name, Integer::parseInt, port -> port >= 0 && port <= 65535, "must be a port number from 0 to 65535");
    }

    private Optional<Long> bytes(String name) {
        return number(name, Long::parseLong, bytes -> bytes > 0, "must be a positive number of bytes");
    }

    private Optional<Integer> count(String name) {
        return number(name, Integer::parseInt, count -> count > 0, "must be a whole number of at least 1");
    }

    private Optional<Double> share(String name) {
        return number(name, Double::parseDouble, share -> share > 0 && share <= 1, "must be a share above 0 and at most 1, such as 0.5");
    }

    private <T> Optional<T> number(String name, Function<String, T> parse, Predicate<T> valid, String expected) {
        return text(name).map(value -> {
            try {
                T number = parse.apply(value);
                if (valid.test(number)) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigurationException(name, expected + ", not '" + value + "'");
        });
    }

    private Optional<Boolean> bool(String name) {
        return text(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name, "must be true or false, not '" + value + "'");
        });
    }

    private Optional<String> jdbcUrl(String name) {
        return text(name).map(value -> {
            if (!value.startsWith("jdbc:postgresql://")) {
                throw new ConfigurationException(name, "must be a JDBC URL like jdbc:postgresql://host:5432/heroes_in_waiting");
            }
            return value;
        });
    }

    private Optional<Duration> duration(String name) {
        return duration(name, false);
    }

    private Optional<Duration> duration(String name, boolean zeroAllowed) {
        return text(name).map(value -> {
            try {
                Duration duration = Duration.parse(value);
                if (!duration.isNegative() && (zeroAllowed || !duration.isZero())) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new ConfigurationException(name, "must be a " + (zeroAllowed ? "" : "positive ")
                    + "ISO-8601 duration such as PT15M, P30D or PT8H, not '" + value + "'");
        });
    }

    private Optional<CidrList> cidrs(String name) {
        return text(name).map(value -> {
            try {
                return CidrList.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(name, e.getMessage() + " (expected a comma-separated list like 10.0.0.0/8,::1/128)");
            }
        });
    }

    private Optional<URI> uri(String name) {
        return text(name).map(value -> {
            try {
                URI uri = new URI(value);
                if (uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ConfigurationException(name, "must be an absolute http(s) URL, not '" + value + "'");
        });
    }
}
