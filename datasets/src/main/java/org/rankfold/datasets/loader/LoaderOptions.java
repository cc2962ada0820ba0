package org.rankfold.datasets.loader;

/**
 * How a {@link DataLoader} cuts a dataset into batches.
 *
 * @param batchSize     images per batch (> 0)
 * @param shuffle       visit the images in a new seeded order each epoch
 * @param dropLast      drop the last batch when it is smaller than {@code batchSize}
 * @param seed          seed of shuffling and augmentation
 * @param normalization per-channel standardization, applied last
 * @param augmentation  random crop / flip, applied before normalization
 * @param prefetch      build the next batch on a background thread
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, long seed, Normalization normalization,
                            Augmentation augmentation, boolean prefetch) {
    public LoaderOptions {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** Training: shuffled, partial last batch kept, no augmentation, prefetching. */
    public static LoaderOptions training(int batchSize, long seed, Normalization normalization) {
        return new LoaderOptions(batchSize, true, false, seed, normalization, Augmentation.NONE, true);
    }

    /** Evaluation: file order, every image, no augmentation, prefetching. */
    public static LoaderOptions evaluation(int batchSize, Normalization normalization) {
        return new LoaderOptions(batchSize, false, false, 0, normalization, Augmentation.NONE, true);
    }

    public LoaderOptions withAugmentation(Augmentation a) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, normalization, a, prefetch);
    }

    public LoaderOptions withDropLast(boolean drop) {
        return new LoaderOptions(batchSize, shuffle, drop, seed, normalization, augmentation, prefetch);
    }

    public LoaderOptions withPrefetch(boolean on) {
        return new LoaderOptions(batchSize, shuffle, dropLast, seed, normalization, augmentation, on);
    }

    public LoaderOptions withShuffle(boolean on) {
        return new LoaderOptions(batchSize, on, dropLast, seed, normalization, augmentation, prefetch);
    }
}
