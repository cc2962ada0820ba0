package org.rankfold.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A training set split into the images that are trained on and a held-out validation set, chosen by a seeded
 * shuffle so that a run's split is a pure function of (training set, size, seed). Both parts keep the original
 * order of their images. Model choices (the epoch of {@code train}'s {@code best/}, target searches, lambda
 * sweeps) read the validation accuracy; the test set is evaluated once per final model.
 *
 * @param train      the images trained on
 * @param validation the held-out images (empty when none were held out)
 * @param seed       the seed of the shuffle that chose them
 */
public record ValidationSplit(Dataset train, Dataset validation, long seed) {
    /** The default hold-out on a full-size training set (Fashion-MNIST: the usual 55,000 / 5,000). */
    public static final int DEFAULT_IMAGES = 5000;

    /** The default size: 5,000 images, at most a tenth of the training set (600 of the bundled sample's 6,000). */
    public static int defaultSize(int trainImages) {
        return Math.min(DEFAULT_IMAGES, trainImages / 10);
    }

    /**
     * Holds out {@code images} images of {@code all}: the first {@code images} of a Fisher-Yates shuffle drawn from
     * {@code SplittableRandom(seed)}.
     *
     * @throws IllegalArgumentException when {@code images} is negative or leaves no training image
     */
    public static ValidationSplit of(Dataset all, int images, long seed) {
        if (images < 0 || images >= all.size()) {
            throw new IllegalArgumentException("a validation split of " + images + " images needs 0 <= images < "
                    + all.size() + " (the training images)");
        }
        int n = all.size();
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] held = Arrays.copyOfRange(order, 0, images);
        int[] kept = Arrays.copyOfRange(order, images, n);
        Arrays.sort(held);
        Arrays.sort(kept);
        return new ValidationSplit(all.subset(all.name(), kept), all.subset(all.name() + "-validation", held), seed);
    }
}
