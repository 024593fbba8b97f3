package org.heroesinwaiting.server.analytics;

import java.util.Map;
import org.heroesinwaiting.persistence.analytics.AnalyticsTable;

/** An analytics view's rows as CSV (RFC 4180): a header of the view's columns, a suppressed count empty. */
final class AnalyticsCsv {

    private AnalyticsCsv() {
    }

    static String write(AnalyticsTable table) {
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", table.columns().stream().map(AnalyticsCsv::field).toList())).append("\r\n");
        for (Map<String, Object> row : table.rows()) {
            csv.append(String.join(",", row.values().stream().map(value -> value == null ? "" : field(value.toString())).toList()))
                    .append("\r\n");
        }
        return csv.toString();
    }

    private static String field(String text) {
        // a leading = + - @ is quoted with an apostrophe so that a spreadsheet never runs it
        String safe = text.matches("^[=+@-].*") && !text.matches("^-?[0-9.]+$") ? "'" + text : text;
        return safe.matches(".*[\",\r\n].*") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
