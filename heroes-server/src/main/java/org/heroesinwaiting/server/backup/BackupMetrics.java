package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.backup.BackupHealth;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups in {@code /metrics}, per kind ({@code full}, {@code archive}, {@code physical-full}, {@code daily}):
 * {@code heroes_backup_last_success_seconds} (when the last backup that succeeded finished, seconds
 * since the epoch), {@code heroes_backup_size_bytes} and {@code heroes_backup_duration_seconds} (of
 * that backup), and {@code heroes_backup_failures_total}. Read from the catalog at most once every
 * 30 seconds, whoever scrapes.
 */
public final class BackupMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(BackupMetrics.class);
    private static final Duration FRESH = Duration.ofSeconds(30);
    private static final List<String> KINDS = Stream.of(BackupKind.values()).map(BackupKind::wireName).toList();

    private final BackupCatalog catalog;
    private Instant read = Instant.MIN;
    private BackupHealth health = new BackupHealth(List.of(), Optional.empty(), Optional.empty());

    /** @param catalog the backup catalog */
    public BackupMetrics(BackupCatalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String kind : KINDS) {
            TimeGauge.builder("heroes.backup.last.success", this, TimeUnit.SECONDS,
                    metrics -> metrics.kind(kind).flatMap(BackupHealth.Kind::lastSuccessAt).map(at -> (double) at.getEpochSecond())
                            .orElse(Double.NaN))
                    .tags("kind", kind).description("when the last backup of this kind that succeeded finished").register(registry);
            Gauge.builder("heroes.backup.size", this, metrics -> metrics.kind(kind).map(k -> (double) k.lastSizeBytes()).orElse(Double.NaN))
                    .tags("kind", kind).baseUnit("bytes").description("the size of the last backup of this kind").register(registry);
            TimeGauge.builder("heroes.backup.duration", this, TimeUnit.SECONDS,
                    metrics -> metrics.kind(kind).flatMap(BackupHealth.Kind::lastDuration).map(d -> d.toMillis() / 1000.0).orElse(Double.NaN))
                    .tags("kind", kind).description("how long the last backup of this kind took").register(registry);
            FunctionCounter.builder("heroes.backup.failures", this, metrics -> metrics.kind(kind).map(k -> (double) k.failures()).orElse(0.0))
                    .tags("kind", kind).description("backups of this kind that failed").register(registry);
        }
    }

    private Optional<BackupHealth.Kind> kind(String kind) {
        return current().kinds().stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    private synchronized BackupHealth current() {
        Instant now = Instant.now();
        if (read.isBefore(now.minus(FRESH))) {
            try {
                health = catalog.health();
                read = now;
            } catch (RuntimeException e) {
                // a scrape must not fail for a database that is away: the last values stay
                LOG.debug("backup metrics not refreshed: {}", e.getMessage());
            }
        }
        return health;
    }
}
