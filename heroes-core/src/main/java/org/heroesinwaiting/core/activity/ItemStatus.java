package org.heroesinwaiting.core.activity;

import java.util.Locale;

/** What became of one item of a batch. */
public enum ItemStatus {
    /** Stored now. */
    STORED,
    /** Stored before under the same key; nothing stored again. */
    DUPLICATE,
    /** Refused; the result says why. */
    REJECTED;

    /** @return its name on the wire ({@code stored}) */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
