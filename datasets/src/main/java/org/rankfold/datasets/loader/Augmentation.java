package org.rankfold.datasets.loader;

import java.util.SplittableRandom;

/**
 * Training-time augmentation of one (C, H, W) image on the [0, 1] scale, before normalization, as the
 * CIFAR ResNet recipe does it (He et al. 2016, section 4.2): zero-pad {@code padding} pixels on each side
 * and crop a random H x W window (torchvision {@code RandomCrop(size, padding)}), then mirror
 * horizontally with probability 1/2 ({@code RandomHorizontalFlip}).
 *
 * <p>Random draws, in this order: crop row offset {@code nextInt(2*padding+1)}, crop column offset
 * {@code nextInt(2*padding+1)} (only when padding > 0), flip {@code nextBoolean()} (only when enabled).
 */
public record Augmentation(int padding, boolean horizontalFlip) {
    public static final Augmentation NONE = new Augmentation(0, false);
    /** Pad 4 + random 32x32 crop + horizontal flip. */
    public static final Augmentation CIFAR = new Augmentation(4, true);

    public Augmentation {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
    }

    public boolean isIdentity() {
        return padding == 0 && !horizontalFlip;
    }

    /**
     * Augments the image at {@code x[offset ..]} in place using {@code scratch} (at least C*H*W floats);
     * {@code x} and {@code scratch} are modified.
     */
    public void applyInPlace(float[] x, int offset, int channels, int height, int width, SplittableRandom rng, float[] scratch) {
        if (isIdentity()) {
            return;
        }
        int dy = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
        int dx = padding > 0 ? rng.nextInt(2 * padding + 1) - padding : 0;
        boolean flip = horizontalFlip && rng.nextBoolean();
        int plane = height * width;
        System.arraycopy(x, offset, scratch, 0, channels * plane);
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            // out[y][x] = in[y + dy][x' + dx] with x' mirrored when flipping; outside the image it is the zero padding
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int row = offset + base + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(x, row, row + width, 0f);
                    continue;
                }
                for (int col = 0; col < width; col++) {
                    int sx = (flip ? width - 1 - col : col) + dx;
                    x[row + col] = sx < 0 || sx >= width ? 0f : scratch[base + sy * width + sx];
                }
            }
        }
    }
}
