package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.heroesinwaiting.core.InvalidValueException;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;

/**
 * Reads the analytics views through a login that may ({@code heroes_analytics}, or the application's
 * for the admin endpoints): every count arrives suppressed where the view suppresses it, since the
 * rule lives in the views.
 */
public final class AnalyticsReader {

    private final TransactionRunner transactions;

    /**
     * @param transactions on a login that may select the analytics views
     */
    public AnalyticsReader(TransactionRunner transactions) {
        this.transactions = requireNonNull(transactions, "transactions");
    }

    /**
     * Reads where the data source connects: a read replica of the database (a login that may select
     * the views, {@code heroes_analytics}), so that BI queries never load the primary.
     *
     * <pre>{@code
     * AnalyticsReader analytics = AnalyticsReader.on(replica);
     * AnalyticsTable completion = analytics.read(AnalyticsView.LESSON_COMPLETION, AnalyticsFilter.ALL);
     * }</pre>
     *
     * @param dataSource the replica (or the primary), pooled by the caller
     * @return a reader on it
     */
    public static AnalyticsReader on(DataSource dataSource) {
        return new AnalyticsReader(new TransactionRunner(HeroesJdbi.create(requireNonNull(dataSource, "dataSource"))));
    }

    /**
     * @param view the view
     * @param filter which rows
     * @return the rows, oldest period first
     * @throws InvalidValueException when the filter names what the view has not (a lesson of the engagement view)
     */
    public AnalyticsTable read(AnalyticsView view, AnalyticsFilter filter) {
        requireNonNull(view, "view");
        requireNonNull(filter, "filter");
        if (!view.perLesson() && filter.lesson().isPresent()) {
            throw new InvalidValueException("the " + view.wireName() + " view is not per lesson");
        }
        if (!view.perGroup() && (filter.grade().isPresent() || filter.ageRange().isPresent())) {
            throw new InvalidValueException("the " + view.wireName() + " view is not per grade and age range");
        }
        StringBuilder filters = new StringBuilder("true");
        filter.lesson().ifPresent(lesson -> filters.append(" AND v.lesson_number = :lesson"));
        filter.grade().ifPresent(grade -> filters.append(" AND v.grade_level = :grade"));
        filter.ageRange().ifPresent(ages -> filters.append(" AND v.age_range = :ages"));
        filter.from().ifPresent(from -> filters.append(" AND v.").append(view.period()).append(" >= :from"));
        filter.to().ifPresent(to -> filters.append(" AND v.").append(view.period()).append(" <= :to"));
        return transactions.selfContained(handle -> {
            AnalyticsViewsDao views = handle.attach(AnalyticsViewsDao.class);
            List<Map<String, Object>> rows = views.rows(view.relation(), filters.toString(), filter.lesson().orElse(null),
                    filter.grade().orElse(null), filter.ageRange().orElse(null), filter.from().orElse(null), filter.to().orElse(null));
            return new AnalyticsTable(view, views.kAnonymity(), views.columns("public." + view.relation()), rows);
        });
    }

    /**
     * @return how current the database this reader reads is: a replica's replay lag
     */
    public ReplicationStatus replication() {
        return transactions.selfContained(handle -> handle.attach(AnalyticsViewsDao.class).replication());
    }

    /**
     * @param lessonNumber a lesson's number
     * @return whether the curriculum has it
     */
    public boolean lessonExists(int lessonNumber) {
        return transactions.selfContained(handle -> handle.attach(AnalyticsViewsDao.class).lessonExists(lessonNumber));
    }
}
