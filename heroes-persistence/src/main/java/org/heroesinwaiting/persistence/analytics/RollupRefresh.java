package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

/**
 * What a refresh did to one rollup table.
 *
 * @param rollup the table ({@code analytics_lesson_rollup} ...)
 * @param periods the periods (months or weeks) it recomputed whole
 * @param cells the cells those periods hold now
 */
public record RollupRefresh(String rollup, int periods, int cells) {

    public RollupRefresh {
        requireNonNull(rollup, "rollup");
    }
}
