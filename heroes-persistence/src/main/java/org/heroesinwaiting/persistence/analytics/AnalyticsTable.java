package org.heroesinwaiting.persistence.analytics;

import java.util.List;
import java.util.Map;

/**
 * Rows of an analytics view, as the view publishes them: a suppressed count is null.
 *
 * @param view the view
 * @param kAnonymity the fewest sessions a published count describes
 * @param columns the view's columns, in its order
 * @param rows each row, its columns in the view's order (dates as {@code LocalDate}, rates as {@code BigDecimal})
 */
public record AnalyticsTable(AnalyticsView view, int kAnonymity, List<String> columns, List<Map<String, Object>> rows) {

    public AnalyticsTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
