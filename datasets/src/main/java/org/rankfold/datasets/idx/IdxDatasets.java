package org.rankfold.datasets.idx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;

/**
 * MNIST-style image sets from a pair of IDX files: images {@code (N, H, W)} of unsigned bytes and labels
 * {@code (N)} in {@code 0..classes-1}. The result has one channel.
 */
public final class IdxDatasets {
    /** Fashion-MNIST's classes in label order (Xiao, Rasul, Vollgraf 2017, table 1). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST's classes: the digits. */
    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private IdxDatasets() {
    }

    /** Reads an images file and a labels file (raw or .gz) into a dataset. */
    public static Dataset read(String name, Path images, Path labels, List<String> classNames) throws IOException {
        return combine(name, IdxFormat.read(images), images.toString(), IdxFormat.read(labels), labels.toString(), classNames);
    }

    /**
     * Combines parsed images and labels; the file names are used in errors.
     *
     * @throws MalformedFileException if the ranks or counts disagree or a label is out of range
     */
    public static Dataset combine(String name, IdxArray images, String imagesFile, IdxArray labels, String labelsFile,
                                  List<String> classNames) throws MalformedFileException {
        int[] d = images.dims();
        if (d.length != 3) {
            throw new MalformedFileException(imagesFile, 3, "an image file of 3 dimensions (N, H, W), found "
                    + d.length + ": " + Arrays.toString(d));
        }
        if (d[1] == 0 || d[2] == 0) {
            throw new MalformedFileException(imagesFile, 8, "images of positive height and width, found " + d[1] + "x" + d[2]);
        }
        int[] l = labels.dims();
        if (l.length != 1) {
            throw new MalformedFileException(labelsFile, 3, "a label file of 1 dimension (N), found " + l.length);
        }
        if (l[0] != d[0]) {
            throw new MalformedFileException(labelsFile, 4, d[0] + " labels, one per image of " + imagesFile + ", found " + l[0]);
        }
        byte[] raw = labels.data();
        int[] values = new int[raw.length];
        long dataStart = 4 + 4L * l.length;
        for (int i = 0; i < raw.length; i++) {
            values[i] = raw[i] & 0xff;
            if (values[i] >= classNames.size()) {
                throw new MalformedFileException(labelsFile, dataStart + i, "a label in 0.." + (classNames.size() - 1)
                        + ", found " + values[i] + " for image " + i);
            }
        }
        return Dataset.ofBytes(name, 1, d[1], d[2], images.data(), values, classNames);
    }
}
