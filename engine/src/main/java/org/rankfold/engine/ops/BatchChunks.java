package org.rankfold.engine.ops;

/**
 * How a batch of images is cut into chunks that threads take whole ({@link
 * org.rankfold.kernels.Backend#forEachRange}): as few chunks as keep each within a working-set budget, their
 * number rounded up to a multiple of {@link #BALANCE} and the images spread evenly (sizes differ by at most
 * one). Cutting 128 images into chunks of at most 37 used to give 37, 37, 37 and 17 images, so at two
 * threads one thread took 74 images and the other 54; a multiple of four equal chunks gives one, two or four
 * threads the same share.
 *
 * <p>The cut depends on the images, the per-image size and the budget only, never on the thread count:
 * sums over chunks (a convolution's weight gradient) come out the same for any number of threads.
 */
public final class BatchChunks {
    /** Chunk counts above one are rounded up to a multiple of this (and to at most one chunk per image). */
    public static final int BALANCE = 4;

    private BatchChunks() {
    }

    /**
     * The number of chunks for {@code images} images of {@code perImage} floats each within {@code budget}
     * floats per chunk: 0 for no images, 1 when all fit one chunk (its kernels then share the threads).
     */
    public static int count(int images, long perImage, long budget) {
        int fewest = fewest(images, perImage, budget);
        if (fewest <= 1) {
            return fewest;
        }
        return Math.min(images, (fewest + BALANCE - 1) / BALANCE * BALANCE);
    }

    /**
     * The fewest chunks that keep each within the budget, not rounded: for work that one thread runs alone
     * (bigger chunks make bigger products), where no balance between threads is needed.
     */
    public static int fewest(int images, long perImage, long budget) {
        if (images <= 0) {
            return 0;
        }
        long most = Math.max(1, Math.min(images, budget / Math.max(1, perImage)));
        return (int) ((images + most - 1) / most);
    }

    /** The first image of chunk {@code chunk} of {@code count} (chunk == count gives {@code images}). */
    public static int start(int images, int count, int chunk) {
        return (int) ((long) images * chunk / count);
    }

    /** The images of chunk {@code chunk}. */
    public static int size(int images, int count, int chunk) {
        return start(images, count, chunk + 1) - start(images, count, chunk);
    }

    /** The most images any chunk holds. */
    public static int largest(int images, int count) {
        return count == 0 ? 0 : (images + count - 1) / count;
    }
}
