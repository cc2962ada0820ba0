package org.rankfold.datasets.loader;

import java.util.Arrays;

/**
 * Per-channel standardization {@code x' = (x - mean[c]) / std[c]} of pixel values on the [0, 1] scale, as
 * torchvision's {@code Normalize(mean, std)} after {@code ToTensor()}.
 */
public record Normalization(float[] mean, float[] std) {
    /** Fashion-MNIST training-set statistics: (x/255 - 0.2860) / 0.3530. */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});
    /** MNIST training-set statistics (0.1307, 0.3081). */
    public static final Normalization MNIST = new Normalization(new float[] {0.1307f}, new float[] {0.3081f});
    /** CIFAR-10 training-set statistics per RGB channel. */
    public static final Normalization CIFAR10 = new Normalization(new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.2470f, 0.2435f, 0.2616f});

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The identity for {@code channels} channels (mean 0, std 1). */
    public static Normalization identity(int channels) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(s, 1f);
        return new Normalization(m, s);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** Normalizes one (C, H, W) image in {@code x} starting at {@code offset}; {@code x} is modified. */
    public void applyInPlace(float[] x, int offset, int channels, int plane) {
        if (channels != mean.length) {
            throw new IllegalArgumentException("normalization for " + mean.length + " channels applied to " + channels);
        }
        for (int c = 0; c < channels; c++) {
            float m = mean[c];
            // a true division, as torchvision's Normalize (sub_ then div_), so values match PyTorch's bit for bit
            float s = std[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                x[base + i] = (x[base + i] - m) / s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
