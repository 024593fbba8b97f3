package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Keeps the analytics rollups (counts only, no id of anyone) that the views {@code heroes_analytics}
 * reads are computed from ({@code refresh_analytics()}, {@code V025__analytics.sql} and {@code
 * V027__analytics_by_classroom.sql}). Each cell is the sum of per-classroom parts, rebuilt from the
 * live and archive tables, so running a refresh twice gives the same numbers; a period whose raw
 * rows retention has deleted is never recomputed, and keeps its counts.
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
     * The nightly refresh, by classroom: the per-classroom parts of the classrooms (and lessons)
     * that received progress, feedback or joins, or taught a lesson, since the last refresh (a day
     * of overlap), then the cells those parts are in. A late sync lands in its past period: it is
     * found by the server's time it was stored at. The first refresh (and the first after the
     * migration that introduced the parts) rebuilds every period whose raw rows are kept.
     *
     * @return per rollup table, the periods and the cells recomputed
     */
    public List<RollupRefresh> refresh() {
        return refreshing(AnalyticsDao::refresh);
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
            return refreshing(dao -> dao.refresh(from, to));
        } catch (InvalidValueException e) {
            // the database says which days it refused and why
            throw new InvalidValueException(SqlStates.message(e), e);
        }
    }

    /** In a transaction of its own, allowed up to an hour (a rebuild of years of rows), whatever the login's timeout. */
    private List<RollupRefresh> refreshing(Function<AnalyticsDao, List<RollupRefresh>> refresh) {
        return transactions.selfContained(handle -> handle.inTransaction(transaction -> {
            transaction.registerRowMapper(ConstructorMapper.factory(RollupRefresh.class));
            AnalyticsDao analytics = transaction.attach(AnalyticsDao.class);
            analytics.allowLongRefresh();
            return refresh.apply(analytics);
        }));
    }
}
