package org.rankfold.datasets;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled image set held in memory: {@code N} images of shape {@code (C, H, W)}, stored row-major as
 * {@code (N, C, H, W)} either as unsigned bytes (0..255, as IDX and CIFAR files hold them) or as floats
 * (already on the [0, 1] scale), plus one label in {@code 0..classes-1} per image and the class names.
 *
 * <p>Pixel values are exposed on the [0, 1] scale: a byte {@code b} reads as {@code b / 255f}, a float as
 * itself. Instances are immutable (arrays are not exposed).
 */
public final class Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] bytePixels;
    private final float[] floatPixels;
    private final int[] labels;
    private final List<String> classNames;

    private Dataset(String name, int channels, int height, int width, byte[] bytePixels, float[] floatPixels,
                    int[] labels, List<String> classNames) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got (" + channels + ", " + height + ", " + width + ")");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one class name");
        }
        long per = (long) channels * height * width;
        long n = labels.length;
        long values = bytePixels != null ? bytePixels.length : floatPixels.length;
        if (per * n != values) {
            throw new IllegalArgumentException(n + " labels of (" + channels + ", " + height + ", " + width
                    + ") images need " + per * n + " pixel values, got " + values);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    /** A dataset of unsigned-byte pixels; the arrays are copied. */
    public static Dataset ofBytes(String name, int channels, int height, int width, byte[] pixels, int[] labels,
                                  List<String> classNames) {
        return new Dataset(name, channels, height, width, pixels.clone(), null, labels.clone(), classNames);
    }

    /** A dataset of float pixels on the [0, 1] scale; the arrays are copied. */
    public static Dataset ofFloats(String name, int channels, int height, int width, float[] pixels, int[] labels,
                                   List<String> classNames) {
        return new Dataset(name, channels, height, width, null, pixels.clone(), labels.clone(), classNames);
    }

    public String name() {
        return name;
    }

    /** Number of images N. */
    public int size() {
        return labels.length;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** C * H * W. */
    public int imageSize() {
        return channels * height * width;
    }

    public int classCount() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** True when pixels are stored as unsigned bytes. */
    public boolean isUint8() {
        return bytePixels != null;
    }

    public int label(int index) {
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Number of images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** One pixel value on the [0, 1] scale; {@code index} is the image, {@code offset} in 0..C*H*W-1. */
    public float pixel(int index, int offset) {
        long at = (long) index * imageSize() + offset;
        return bytePixels != null ? (bytePixels[(int) at] & 0xff) / 255f : floatPixels[(int) at];
    }

    /**
     * Copies image {@code index} (C, H, W) on the [0, 1] scale into {@code dst} starting at {@code dstOffset};
     * {@code dst} is modified.
     */
    public void copyImage(int index, float[] dst, int dstOffset) {
        int per = imageSize();
        int src = Math.multiplyExact(index, per);
        if (bytePixels != null) {
            for (int i = 0; i < per; i++) {
                dst[dstOffset + i] = (bytePixels[src + i] & 0xff) / 255f;
            }
        } else {
            System.arraycopy(floatPixels, src, dst, dstOffset, per);
        }
    }

    /** The raw bytes of image {@code index}; only for uint8 datasets. */
    public byte[] imageBytes(int index) {
        if (bytePixels == null) {
            throw new IllegalStateException(name + " holds float pixels, not bytes");
        }
        int per = imageSize();
        return Arrays.copyOfRange(bytePixels, index * per, index * per + per);
    }

    /** The images at {@code indices}, in that order, as a new dataset. */
    public Dataset subset(String subsetName, int[] indices) {
        int per = imageSize();
        int[] l = new int[indices.length];
        if (bytePixels != null) {
            byte[] p = new byte[Math.multiplyExact(indices.length, per)];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(bytePixels, indices[i] * per, p, i * per, per);
                l[i] = labels[indices[i]];
            }
            return new Dataset(subsetName, channels, height, width, p, null, l, classNames);
        }
        float[] p = new float[Math.multiplyExact(indices.length, per)];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(floatPixels, indices[i] * per, p, i * per, per);
            l[i] = labels[indices[i]];
        }
        return new Dataset(subsetName, channels, height, width, null, p, l, classNames);
    }

    /** The first {@code n} images (all of them if there are fewer). */
    public Dataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return subset(name, idx);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + channels + "x" + height + "x" + width + ", "
                + classCount() + " classes)";
    }
}
