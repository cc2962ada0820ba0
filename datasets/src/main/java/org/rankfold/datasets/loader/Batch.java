package org.rankfold.datasets.loader;

/**
 * One mini-batch: {@code images} is (N, C, H, W) row-major, normalized and augmented, {@code labels} has N
 * entries. {@code epoch} and {@code index} say where it sits in the schedule, so a consumer can record a
 * resume point. The arrays belong to the consumer, unless it hands them back with {@link DataLoader#recycle(Batch)}.
 */
public record Batch(int epoch, int index, float[] images, int[] labels, int channels, int height, int width) {
    /** Number of images N. */
    public int size() {
        return labels.length;
    }
}
