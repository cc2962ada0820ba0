package org.rankfold.datasets.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.datasets.idx.IdxFormat;

/**
 * Re-makes the bundled Fashion-MNIST sample from the full data set, deterministically.
 *
 * <p>Procedure, per split (train: seed {@link #TRAIN_SEED}, 600 per class; test: seed {@link #TEST_SEED},
 * 100 per class): one {@code java.util.SplittableRandom(seed)}; for each class 0..9 in order, the indices
 * of that class in file order are shuffled by a partial Fisher-Yates pass (for slot {@code i = 0..k-1},
 * swap slot {@code i} with slot {@code i + rng.nextInt(count - i)}) and the first {@code k} kept; the kept
 * indices of all classes are sorted ascending, and the images and labels are written in that order as
 * gzip IDX files (DEFLATE level 9, gzip mtime 0, so the bytes are reproducible with the same JDK).
 *
 * <p>Usage: {@code java -cp datasets/target/classes org.rankfold.datasets.sample.SampleMaker
 * /usr/share/datasets/fashion-mnist datasets/src/main/resources/org/rankfold/datasets/sample}
 */
public final class SampleMaker {
    public static final long TRAIN_SEED = 20240829L;
    public static final long TEST_SEED = 20240830L;

    private SampleMaker() {
    }

    /** The full-set indices the sample keeps: {@code perClass} of each class, ascending. */
    public static int[] select(int[] labels, int classes, int perClass, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] chosen = new int[classes * perClass];
        int at = 0;
        for (int c = 0; c < classes; c++) {
            final int cls = c;
            int[] members = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == cls).toArray();
            if (members.length < perClass) {
                throw new IllegalArgumentException("class " + c + " has " + members.length + " images, fewer than " + perClass);
            }
            for (int i = 0; i < perClass; i++) {
                int j = i + rng.nextInt(members.length - i);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            System.arraycopy(members, 0, chosen, at, perClass);
            at += perClass;
        }
        Arrays.sort(chosen);
        return chosen;
    }

    /** The sample of one split as (images, labels) IDX arrays. */
    public static IdxArray[] make(Dataset full, int perClass, long seed) {
        Dataset s = full.subset(full.name() + "-sample", select(full.labels(), full.classCount(), perClass, seed));
        byte[] pixels = new byte[s.size() * s.imageSize()];
        byte[] labels = new byte[s.size()];
        for (int i = 0; i < s.size(); i++) {
            System.arraycopy(s.imageBytes(i), 0, pixels, i * s.imageSize(), s.imageSize());
            labels[i] = (byte) s.label(i);
        }
        return new IdxArray[] {new IdxArray(new int[] {s.size(), s.height(), s.width()}, pixels),
                new IdxArray(new int[] {s.size()}, labels)};
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SampleMaker FASHION_MNIST_DIR OUTPUT_DIR");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Dataset train = IdxDatasets.read("fashion-mnist-train", in.resolve("train-images-idx3-ubyte.gz"),
                in.resolve("train-labels-idx1-ubyte.gz"), IdxDatasets.FASHION_MNIST_CLASSES);
        Dataset test = IdxDatasets.read("fashion-mnist-test", in.resolve("t10k-images-idx3-ubyte.gz"),
                in.resolve("t10k-labels-idx1-ubyte.gz"), IdxDatasets.FASHION_MNIST_CLASSES);
        IdxArray[] tr = make(train, FashionMnistSample.TRAIN_PER_CLASS, TRAIN_SEED);
        IdxArray[] te = make(test, FashionMnistSample.TEST_PER_CLASS, TEST_SEED);
        IdxFormat.write(out.resolve(FashionMnistSample.TRAIN_IMAGES), tr[0]);
        IdxFormat.write(out.resolve(FashionMnistSample.TRAIN_LABELS), tr[1]);
        IdxFormat.write(out.resolve(FashionMnistSample.TEST_IMAGES), te[0]);
        IdxFormat.write(out.resolve(FashionMnistSample.TEST_LABELS), te[1]);
        System.out.println("wrote " + tr[1].data().length + " train and " + te[1].data().length + " test images to " + out);
    }
}
