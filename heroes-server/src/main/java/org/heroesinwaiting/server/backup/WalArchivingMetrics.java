package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.heroesinwaiting.retention.physical.WalArchiveSample;
import org.heroesinwaiting.retention.physical.WalArchiving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAL archiving in {@code /metrics}, from the newest sample (read at most every 30 seconds):
 * {@code heroes_wal_oldest_unarchived_seconds} (the recovery point at risk),
 * {@code heroes_wal_pending_segments}, {@code heroes_wal_archive_failing} (1 while the last attempt
 * failed) and {@code heroes_wal_archive_failures_total}.
 */
public final class WalArchivingMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(WalArchivingMetrics.class);
    private static final Duration FRESH = Duration.ofSeconds(30);

    private final WalArchiving archiving;
    private Instant read = Instant.MIN;
    private Optional<WalArchiveSample> sample = Optional.empty();

    /** @param archiving the samples */
    public WalArchivingMetrics(WalArchiving archiving) {
        this.archiving = requireNonNull(archiving, "archiving");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TimeGauge.builder("heroes.wal.oldest.unarchived", this, TimeUnit.SECONDS, of(s -> s.oldestUnarchivedAge().toMillis() / 1000.0))
                .description("the age of the oldest WAL segment not yet archived: the recovery point at risk").register(registry);
        Gauge.builder("heroes.wal.pending.segments", this, of(WalArchiveSample::pendingSegments))
                .description("WAL segments closed but not archived yet").register(registry);
        Gauge.builder("heroes.wal.archive.failing", this, of(s -> s.failing() ? 1 : 0))
                .description("1 while the last archive attempt failed").register(registry);
        FunctionCounter.builder("heroes.wal.archive.failures", this, of(WalArchiveSample::failedCount))
                .description("failed archive attempts since the statistics were reset").register(registry);
    }

    private static ToDoubleFunction<WalArchivingMetrics> of(ToDoubleFunction<WalArchiveSample> value) {
        return metrics -> metrics.current().map(value::applyAsDouble).orElse(Double.NaN);
    }

    private synchronized Optional<WalArchiveSample> current() {
        Instant now = Instant.now();
        if (read.isBefore(now.minus(FRESH))) {
            try {
                sample = archiving.latest();
                // none yet (a server just started): ask again at the next scrape rather than in 30 seconds
                read = sample.isPresent() ? now : Instant.MIN;
            } catch (RuntimeException e) {
                // a scrape must not fail for a database that is away: the last values stay
                LOG.debug("WAL archiving metrics not refreshed: {}", e.getMessage());
            }
        }
        return sample;
    }
}
