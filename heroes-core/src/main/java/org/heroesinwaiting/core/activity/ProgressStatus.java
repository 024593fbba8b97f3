package org.heroesinwaiting.core.activity;

import java.util.Arrays;
import java.util.Locale;

/** Where a student is with a content item. */
public enum ProgressStatus {
    /** Opened. */
    STARTED,
    /** Finished. */
    COMPLETED;

    /** @return its name on the wire ({@code started}) */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire {@code started} or {@code completed}
     * @return the status
     * @throws IllegalArgumentException naming the allowed values otherwise
     */
    public static ProgressStatus parse(String wire) {
        return Arrays.stream(values()).filter(status -> status.wire().equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("status must be started or completed"));
    }
}
