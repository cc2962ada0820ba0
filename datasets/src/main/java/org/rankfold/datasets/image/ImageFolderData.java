package org.rankfold.datasets.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;

/**
 * A folder of images in torchvision's ImageFolder layout ({@code --data images:DIR}): one sub-folder per class
 * holding PNG or JPEG files, class names from the folder names in sorted order. With {@code train/} and
 * {@code test/} (or {@code val/}) sub-folders each holds that layout; otherwise the images are split by a
 * seeded shuffle, every {@value #TEST_EVERY}th one going to the test part. Every image is converted to the
 * chosen channels and resized to the chosen square size by {@link ImageDecoder} and kept as bytes (0-255).
 * An image that cannot be read stops the load with one error naming it.
 */
public final class ImageFolderData {
    /** One image in this many goes to the test part when there is no separate test folder. */
    static final int TEST_EVERY = 10;
    static final long SPLIT_SEED = 20_240_829L;
    /** At most this many classes and images, and pixels in all (bytes held in memory). */
    static final int MAX_CLASSES = 10_000;
    static final int MAX_IMAGES = 2_000_000;
    static final long MAX_PIXELS = Integer.MAX_VALUE - 8;

    private ImageFolderData() {
    }

    /** Loads {@code dir} with images of {@code channels} (1 or 3) and {@code size} x {@code size} pixels. */
    public static DataSplit load(Path dir, int channels, int size) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images are converted to 1 (gray) or 3 (RGB) channels, got " + channels);
        }
        if (size < 4 || size > 1024) {
            throw new IllegalArgumentException("image size must be between 4 and 1024 pixels, got " + size);
        }
        Path test = Files.isDirectory(dir.resolve("test")) ? dir.resolve("test") : dir.resolve("val");
        String shape = channels + "x" + size + "x" + size;
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(test)) {
            List<String> classes = classes(dir.resolve("train"));
            Dataset train = read("images " + dir + " train", dir.resolve("train"), classes, channels, size, files(dir.resolve("train"), classes));
            Dataset t = read("images " + dir + " test", test, classes, channels, size, files(test, classes));
            return new DataSplit(train, t, "images " + dir + " (train/ and " + test.getFileName() + "/, " + shape + ")");
        }
        List<String> classes = classes(dir);
        List<Path[]> all = files(dir, classes);
        List<Path[]> shuffled = new ArrayList<>(all);
        SplittableRandom rng = new SplittableRandom(SPLIT_SEED);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Path[] t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        List<Path[]> trainFiles = new ArrayList<>();
        List<Path[]> testFiles = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            (i % TEST_EVERY == TEST_EVERY - 1 ? testFiles : trainFiles).add(shuffled.get(i));
        }
        if (testFiles.isEmpty() || trainFiles.isEmpty()) {
            throw new MalformedFileException(dir.toString(), -1, "at least 2 images (a training and a test image)");
        }
        return new DataSplit(read("images " + dir + " train", dir, classes, channels, size, trainFiles),
                read("images " + dir + " test", dir, classes, channels, size, testFiles),
                "images " + dir + " (seeded split: every " + TEST_EVERY + "th image for test, " + shape + ")");
    }

    /** The class folders of {@code dir}, sorted (links are not followed out of the folder). */
    static List<String> classes(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith(".")) {
                    names.add(p.getFileName().toString());
                    if (names.size() > MAX_CLASSES) {
                        throw new MalformedFileException(dir.toString(), -1, "at most " + MAX_CLASSES + " class folders");
                    }
                }
            }
        }
        names.sort(null);
        if (names.size() < 2) {
            throw new MalformedFileException(dir.toString(), -1, "class sub-folders of PNG/JPEG images (at least 2 classes),"
                    + " found " + names.size());
        }
        return names;
    }

    /** (class index as a one-element path marker, file) pairs in class then file-name order. */
    private static List<Path[]> files(Path dir, List<String> classes) throws IOException {
        List<Path[]> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path folder = dir.resolve(classes.get(c));
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new MalformedFileException(folder.toString(), -1, "a class folder '" + classes.get(c)
                        + "' as in " + dir.getParent());
            }
            List<Path> images = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
                for (Path p : s) {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) {
                        images.add(p);
                    }
                }
            }
            images.sort(null);
            for (Path p : images) {
                out.add(new Path[] {Path.of(Integer.toString(c)), p});
                if (out.size() > MAX_IMAGES) {
                    throw new MalformedFileException(dir.toString(), -1, "at most " + MAX_IMAGES + " images");
                }
            }
        }
        if (out.isEmpty()) {
            throw new MalformedFileException(dir.toString(), -1, "PNG or JPEG images in its class folders, found none");
        }
        return out;
    }

    private static Dataset read(String name, Path dir, List<String> classes, int channels, int size, List<Path[]> files)
            throws IOException {
        int per = channels * size * size;
        if ((long) per * files.size() > MAX_PIXELS) {
            throw new MalformedFileException(dir.toString(), -1, "at most " + MAX_PIXELS + " pixels in all at " + channels
                    + "x" + size + "x" + size + ", found " + files.size() + " images");
        }
        byte[] px = new byte[per * files.size()];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            labels[i] = Integer.parseInt(files.get(i)[0].toString());
            float[] img = ImageDecoder.read(files.get(i)[1], channels, size, size);
            for (int k = 0; k < per; k++) {
                px[i * per + k] = (byte) Math.round(Math.min(1f, Math.max(0f, img[k])) * 255f);
            }
        }
        return Dataset.ofBytes(name, channels, size, size, px, labels, classes);
    }
}
