package org.heroesinwaiting.core.activity;

/**
 * What became of one item of a batch.
 *
 * @param index its place in the batch
 * @param idempotencyKey its key
 * @param status stored, duplicate (stored before; nothing stored again) or rejected
 * @param problem why it was rejected, or {@code null}
 */
public record ItemResult(int index, String idempotencyKey, ItemStatus status, String problem) {

    /**
     * @param index its place
     * @param key its key
     * @return a stored item's result
     */
    public static ItemResult stored(int index, String key) {
        return new ItemResult(index, key, ItemStatus.STORED, null);
    }

    /**
     * @param index its place
     * @param key its key
     * @return a duplicate's result
     */
    public static ItemResult duplicate(int index, String key) {
        return new ItemResult(index, key, ItemStatus.DUPLICATE, null);
    }

    /**
     * @param index its place
     * @param key its key
     * @param problem why
     * @return a rejected item's result
     */
    public static ItemResult rejected(int index, String key, String problem) {
        return new ItemResult(index, key, ItemStatus.REJECTED, problem);
    }
}
