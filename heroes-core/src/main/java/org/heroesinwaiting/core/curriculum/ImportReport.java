package org.heroesinwaiting.core.curriculum;

/**
 * What an import did.
 *
 * @param revision the curriculum's revision after it
 * @param changed whether anything changed (importing the same file again changes nothing)
 * @param lessonsChanged lessons inserted or updated
 * @param contentChanged items inserted or updated
 * @param contentRemoved items deleted (no progress referred to them)
 * @param contentRetired items kept but retired, because progress refers to them
 * @param questionsChanged questions inserted, updated or deleted
 */
public record ImportReport(long revision, boolean changed, int lessonsChanged, int contentChanged, int contentRemoved,
        int contentRetired, int questionsChanged) {

    @Override
    public String toString() {
        return changed
                ? "revision " + revision + ": " + lessonsChanged + " lessons, " + contentChanged + " items and " + questionsChanged
                        + " questions changed; " + contentRemoved + " items removed, " + contentRetired + " retired"
                : "nothing changed (revision " + revision + ")";
    }
}
