package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Keeps the analytics rollups (counts only, no id of anyone) that the views {@code heroes_analytics}
 * reads are computed from ({@code refresh_analytics()}, {@code V025__analytics.sql}). A refresh
 * recomputes whole periods from the live and archive tables, so running it twice gives the same
 * numbers; a period whose raw rows retention has deleted is never recomputed, and keeps its counts.
 */
public final class AnalyticsService {

    private final TransactionRunner transactions;

    /**
     * @param transactions on the application login
     */
    public AnalyticsService(TransactionRunner transactions) {
        this.transactions = requireNonNull(transactions, "transactions");
    }

    /**
     * The nightly refresh: every period that overlaps the last {@code recompute_days} days (45;
     * progress and feedback carry the tablet's own time, so a late sync lands in a past period),
     * and every period in which a progress row was recorded, a student joined or a lesson was
     * taught since the last refresh.
     *
     * @return per rollup table, the periods recomputed and the cells they hold
     */
    public List<RollupRefresh> refresh() {
        return transactions.selfContained(handle -> {
            handle.registerRowMapper(ConstructorMapper.factory(RollupRefresh.class));
            return handle.attach(AnalyticsDao.class).refresh();
        });
    }

    /**
     * Recomputes every period (month or week) that overlaps the days from {@code from} to {@code
     * to}, both included; days after today are today.
     *
     * @param from the first day
     * @param to the last day
     * @return per rollup table, the periods recomputed and the cells they hold
     * @throws InvalidValueException when {@code from} is after {@code to}
     */
    public List<RollupRefresh> refresh(LocalDate from, LocalDate to) {
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        try {
            return transactions.selfContained(handle -> {
                handle.registerRowMapper(ConstructorMapper.factory(RollupRefresh.class));
                return handle.attach(AnalyticsDao.class).refresh(from, to);
            });
        } catch (InvalidValueException e) {
            // the database says which days it refused and why
            throw new InvalidValueException(SqlStates.message(e), e);
        }
    }
}
