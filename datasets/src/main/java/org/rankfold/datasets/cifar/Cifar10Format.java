package org.rankfold.datasets.cifar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;

/**
 * The CIFAR-10 binary version (Krizhevsky 2009, "binary version" on the CIFAR page): each record is 1 label
 * byte (0..9) followed by 3072 pixel bytes, the 1024 red values, then green, then blue, each plane 32x32
 * row-major — which is already (C, H, W). The training set is {@code data_batch_1.bin} ..
 * {@code data_batch_5.bin} (10,000 records each), the test set {@code test_batch.bin}.
 *
 * <p>The file length must be a positive multiple of 3073 and every label below 10; both are checked
 * before and while copying, with the offending offset named.
 */
public final class Cifar10Format {
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** The classes in label order, as in {@code batches.meta.txt}. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** Most records one batch file may hold: enough for far more than CIFAR's 10,000, within one Java array. */
    public static final int MAX_RECORDS = (Integer.MAX_VALUE - 16) / IMAGE_BYTES;

    private Cifar10Format() {
    }

    /** One parsed batch: N labels and N (3, 32, 32) images of bytes. */
    public record Records(int[] labels, byte[] pixels) {
        public int size() {
            return labels.length;
        }
    }

    /** Reads one batch file. */
    public static Records read(Path file) throws IOException {
        long size = RegularFiles.requireRegular(file, RegularFiles.Links.FOLLOW).size();
        checkLength(size, file.toString());
        return parse(RegularFiles.readBounded(file, size, RegularFiles.Links.FOLLOW), file.toString());
    }

    /** Parses the bytes of one batch file; {@code name} is used in errors. */
    public static Records parse(byte[] bytes, String name) throws MalformedFileException {
        checkLength(bytes.length, name);
        int n = bytes.length / RECORD_BYTES;
        int[] labels = new int[n];
        byte[] pixels = new byte[n * IMAGE_BYTES];
        for (int i = 0; i < n; i++) {
            int at = i * RECORD_BYTES;
            int label = bytes[at] & 0xff;
            if (label >= CLASSES.size()) {
                throw new MalformedFileException(name, at, "a label byte in 0..9 at the start of record " + i + ", found " + label);
            }
            labels[i] = label;
            System.arraycopy(bytes, at + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
        }
        return new Records(labels, pixels);
    }

    private static void checkLength(long length, String name) throws MalformedFileException {
        if (length == 0 || length % RECORD_BYTES != 0) {
            throw new MalformedFileException(name, length - length % RECORD_BYTES, "a positive multiple of "
                    + RECORD_BYTES + " bytes (1 label + 3072 pixels per record), found " + length + " bytes");
        }
        if (length / RECORD_BYTES > MAX_RECORDS) {
            throw new MalformedFileException(name, 0, "at most " + MAX_RECORDS + " records, found " + length / RECORD_BYTES);
        }
    }

    /** Reads and concatenates batch files into one dataset. */
    public static Dataset read(String name, List<Path> files) throws IOException {
        List<Records> batches = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            Records b = read(f);
            total += b.size();
            if (total > MAX_RECORDS) {
                throw new MalformedFileException(f.toString(), -1, "at most " + MAX_RECORDS + " records in all");
            }
            batches.add(b);
        }
        int[] labels = new int[(int) total];
        byte[] pixels = new byte[(int) total * IMAGE_BYTES];
        int at = 0;
        for (Records b : batches) {
            System.arraycopy(b.labels(), 0, labels, at, b.size());
            System.arraycopy(b.pixels(), 0, pixels, at * IMAGE_BYTES, b.pixels().length);
            at += b.size();
        }
        return Dataset.ofBytes(name, CHANNELS, SIDE, SIDE, pixels, labels, CLASSES);
    }

    /** The training files {@code data_batch_1.bin .. data_batch_5.bin} of a CIFAR-10 directory, those present. */
    public static List<Path> trainFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path f = dir.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The bytes of a batch file holding these records (for tests and tools). */
    public static byte[] toBytes(int[] labels, byte[] pixels) {
        if (pixels.length != (long) labels.length * IMAGE_BYTES) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * IMAGE_BYTES + " pixels, got " + pixels.length);
        }
        byte[] out = new byte[labels.length * RECORD_BYTES];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + labels[i] + " does not fit a byte");
            }
            out[i * RECORD_BYTES] = (byte) labels[i];
            System.arraycopy(pixels, i * IMAGE_BYTES, out, i * RECORD_BYTES + 1, IMAGE_BYTES);
        }
        return out;
    }
}
