package org.rankfold.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.datasets.npy.Npz;

/**
 * A data set in one {@code .npz} archive ({@code --data npz:FILE}): images {@code x} of shape [N, H, W] or
 * [N, C, H, W] (uint8 0-255, or floats on the [0, 1] scale) and integer labels {@code y} [N] in 0..K-1, split
 * into training and test parts by a seeded shuffle (every {@value #TEST_EVERY}th image of the shuffled order is a
 * test image); or the parts given as {@code x_train}, {@code y_train}, {@code x_test}, {@code y_test}. Class
 * names are the label numbers. Every defect is one {@link MalformedFileException} naming the file and array.
 */
public final class NpzData {
    /** One image in this many goes to the test part when the archive has no separate test arrays. */
    static final int TEST_EVERY = 10;
    /** Seed of the split: the same archive always splits the same way. */
    static final long SPLIT_SEED = 20_240_829L;
    /** At most this many classes. */
    static final int MAX_CLASSES = 10_000;

    private NpzData() {
    }

    public static DataSplit load(Path file) throws IOException {
        Map<String, NpyArray> a = Npz.read(file);
        String name = file.getFileName().toString();
        if (a.containsKey("x_train") || a.containsKey("x_test")) {
            int classes = Math.max(classes(file, "y_train", need(a, file, "y_train")), classes(file, "y_test", need(a, file, "y_test")));
            Dataset train = dataset(file, name + " train", need(a, file, "x_train"), need(a, file, "y_train"), "y_train", classes);
            Dataset test = dataset(file, name + " test", need(a, file, "x_test"), need(a, file, "y_test"), "y_test", classes);
            if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
                throw new MalformedFileException(file.toString(), -1, "x_train and x_test with the same image shape");
            }
            return new DataSplit(train, test, "npz " + file);
        }
        NpyArray y = need(a, file, "y");
        Dataset all = dataset(file, name, need(a, file, "x"), y, "y", classes(file, "y", y));
        if (all.size() < 2) {
            throw new MalformedFileException(file.toString(), -1, "at least 2 images in 'x' (a training and a test image)");
        }
        int[] order = new int[all.size()];
        Arrays.setAll(order, i -> i);
        SplittableRandom rng = new SplittableRandom(SPLIT_SEED);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i % TEST_EVERY == TEST_EVERY - 1 ? test : train).add(order[i]);
        }
        if (test.isEmpty()) {
            test.add(train.removeLast());
        }
        return new DataSplit(all.subset(name + " train", train.stream().mapToInt(Integer::intValue).toArray()),
                all.subset(name + " test", test.stream().mapToInt(Integer::intValue).toArray()),
                "npz " + file + " (seeded split: every " + TEST_EVERY + "th image for test)");
    }

    private static NpyArray need(Map<String, NpyArray> a, Path file, String key) throws MalformedFileException {
        NpyArray v = a.get(key);
        if (v == null) {
            throw new MalformedFileException(file.toString(), -1, "an array '" + key + "' (the archive holds "
                    + String.join(", ", new java.util.TreeSet<>(a.keySet())) + ")");
        }
        return v;
    }

    private static int classes(Path file, String key, NpyArray y) throws MalformedFileException {
        if (y.rank() != 1 || y.dtype().isFloating()) {
            throw new MalformedFileException(file.toString(), -1, "'" + key + "' as integer labels of shape [N], found "
                    + y.dtype().descr() + " " + Arrays.toString(y.shape()));
        }
        long max = -1;
        for (long v : y.asLongs()) {
            if (v < 0 || v >= MAX_CLASSES) {
                throw new MalformedFileException(file.toString(), -1, "'" + key + "' labels in 0.." + (MAX_CLASSES - 1) + ", found " + v);
            }
            max = Math.max(max, v);
        }
        if (max < 1) {
            throw new MalformedFileException(file.toString(), -1, "'" + key + "' with at least 2 classes");
        }
        return (int) max + 1;
    }

    private static Dataset dataset(Path file, String name, NpyArray x, NpyArray y, String yKey, int classes)
            throws MalformedFileException {
        int[] s = x.shape();
        if (x.rank() != 3 && x.rank() != 4) {
            throw new MalformedFileException(file.toString(), -1, "images of shape [N, H, W] or [N, C, H, W], found "
                    + Arrays.toString(s));
        }
        int n = s[0];
        int c = x.rank() == 4 ? s[1] : 1;
        int h = s[x.rank() - 2];
        int w = s[x.rank() - 1];
        if (n == 0 || c < 1 || c > 4 || h < 1 || w < 1) {
            throw new MalformedFileException(file.toString(), -1, "at least one image of 1 to 4 channels, found shape " + Arrays.toString(s));
        }
        if (y.dim(0) != n) {
            throw new MalformedFileException(file.toString(), -1, "'" + yKey + "' with one label per image (" + n + "), found " + y.dim(0));
        }
        int[] labels = Arrays.stream(y.asLongs()).mapToInt(v -> (int) v).toArray();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add(Integer.toString(k));
        }
        if (x.dtype() == NpyDtype.UINT8) {
            return Dataset.ofBytes(name, c, h, w, x.asBytes(), labels, names);
        }
        if (!x.dtype().isFloating()) {
            throw new MalformedFileException(file.toString(), -1, "images as uint8 (0-255) or floats (0-1), found " + x.dtype().descr());
        }
        float[] px = x.asFloats();
        for (int i = 0; i < px.length; i++) {
            if (!(px[i] >= 0 && px[i] <= 1)) {
                throw new MalformedFileException(file.toString(), -1, "float pixels on the [0, 1] scale, found " + px[i]
                        + " at element " + i);
            }
        }
        return Dataset.ofFloats(name, c, h, w, px, labels, names);
    }
}
