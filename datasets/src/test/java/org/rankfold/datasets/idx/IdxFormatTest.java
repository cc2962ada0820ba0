package org.rankfold.datasets.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFormatTest extends SeededTest {

    private IdxArray images(int n, int h, int w) {
        SplittableRandom rng = random();
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        return new IdxArray(new int[] {n, h, w}, px);
    }

    private static IdxArray labels(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return new IdxArray(new int[] {values.length}, b);
    }

    @Test
    void roundTripsRawAndGzipFiles(@TempDir Path dir) throws IOException {
        IdxArray img = images(5, 4, 3);
        for (String name : new String[] {"x-idx3-ubyte", "x-idx3-ubyte.gz"}) {
            Path f = dir.resolve(name);
            IdxFormat.write(f, img);
            assertEquals(img, IdxFormat.read(f), name);
        }
        assertTrue(IdxFormat.toGzipBytes(img)[0] == (byte) 0x1f, "gzip magic");
        // gzip is detected by content, not by name
        Path disguised = dir.resolve("plain-name");
        Files.write(disguised, IdxFormat.toGzipBytes(img));
        assertEquals(img, IdxFormat.read(disguised));
    }

    @Test
    void readsAnMnistStylePairIntoADataset(@TempDir Path dir) throws IOException {
        IdxArray img = images(4, 2, 3);
        Path i = dir.resolve("i.gz");
        Path l = dir.resolve("l");
        IdxFormat.write(i, img);
        IdxFormat.write(l, labels(0, 9, 3, 3));
        Dataset d = IdxDatasets.read("t", i, l, IdxDatasets.MNIST_CLASSES);
        assertEquals(4, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertEquals(9, d.label(1));
        assertEquals((img.data()[6 + 5] & 0xff) / 255f, d.pixel(1, 5), 0f);
        assertArrayEquals(new int[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 1}, d.classCounts());
    }

    @Test
    void labelOutOfRangeNamesFileAndOffset(@TempDir Path dir) throws IOException {
        Path i = dir.resolve("i");
        Path l = dir.resolve("labels");
        IdxFormat.write(i, images(3, 2, 2));
        IdxFormat.write(l, labels(1, 10, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> IdxDatasets.read("t", i, l, IdxDatasets.FASHION_MNIST_CLASSES));
        assertEquals(l.toString(), e.file());
        assertEquals(9, e.offset(), "header of 8 bytes, then the second label");
        assertTrue(e.getMessage().contains("0..9"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabels(@TempDir Path dir) throws IOException {
        Path i = dir.resolve("i");
        Path l = dir.resolve("l");
        IdxFormat.write(i, images(3, 2, 2));
        IdxFormat.write(l, labels(1, 2));
        MalformedFileException e = assertThrows(MalformedFileException.class,
                () -> IdxDatasets.read("t", i, l, IdxDatasets.MNIST_CLASSES));
        assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
        // images given where labels are expected
        assertThrows(MalformedFileException.class, () -> IdxDatasets.read("t", i, i, IdxDatasets.MNIST_CLASSES));
    }

    @Test
    void rejectsTruncatedAndTrailingData() {
        byte[] good = IdxFormat.toBytes(images(3, 4, 4));
        MalformedFileException t = assertThrows(MalformedFileException.class,
                () -> IdxFormat.parse(Arrays.copyOf(good, good.length - 1), "t"));
        assertEquals(16, t.offset(), t.getMessage());
        assertTrue(t.getMessage().contains("at most 47"), t.getMessage());
        assertThrows(MalformedFileException.class, () -> IdxFormat.parse(Arrays.copyOf(good, good.length + 1), "t"));
        assertThrows(MalformedFileException.class, () -> IdxFormat.parse(Arrays.copyOf(good, 6), "t"));
        assertThrows(MalformedFileException.class, () -> IdxFormat.parse(new byte[0], "t"));
        // truncated gzip stream
        byte[] gz = IdxFormat.toGzipBytes(images(3, 4, 4));
        MalformedFileException g = assertThrows(MalformedFileException.class,
                () -> IdxFormat.parse(Arrays.copyOf(gz, gz.length - 12), "t.gz"));
        assertTrue(g.getMessage().startsWith("t.gz (decompressed) at offset"), g.getMessage());
    }

    @Test
    void rejectsWrongMagicTypeAndDimensionCount() {
        byte[] good = IdxFormat.toBytes(images(1, 2, 2));
        byte[] magic = good.clone();
        magic[0] = 'P';
        assertEquals(0, assertThrows(MalformedFileException.class, () -> IdxFormat.parse(magic, "m")).offset());
        byte[] type = good.clone();
        type[2] = 0x0D;
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> IdxFormat.parse(type, "m"));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("0x0d"), e.getMessage());
        byte[] zeroDims = good.clone();
        zeroDims[3] = 0;
        assertEquals(3, assertThrows(MalformedFileException.class, () -> IdxFormat.parse(zeroDims, "m")).offset());
        byte[] manyDims = good.clone();
        manyDims[3] = (byte) 255;
        assertEquals(3, assertThrows(MalformedFileException.class, () -> IdxFormat.parse(manyDims, "m")).offset());
    }

    @Test
    void hugeDimensionsFailBeforeAllocating() {
        // 10^8 images of 28x28 in a 16-byte file; also 2^31 images (a dimension above int range)
        byte[] claim = header(100_000_000, 28, 28);
        MalformedFileException big = assertThrows(MalformedFileException.class, () -> IdxFormat.parse(claim, "big"));
        assertTrue(big.getMessage().contains("claim 78400000000"), big.getMessage());
        byte[] over = header(0x80000000, 1, 1);
        MalformedFileException o = assertThrows(MalformedFileException.class, () -> IdxFormat.parse(over, "over"));
        assertEquals(4, o.offset());
        // 60000 x 28 x 28 claimed (47 MB) by a small gzip file: more than 1032x its size
        byte[] gz = IdxFormat.toGzipBytes(new IdxArray(new int[] {1, 1, 1}, new byte[1]));
        byte[] liar = header(60000, 28, 28);
        MalformedFileException g = assertThrows(MalformedFileException.class,
                () -> IdxFormat.parse(gzip(liar), "liar.gz"));
        assertTrue(g.getMessage().contains("holds at most"), g.getMessage());
        assertTrue(gz.length < 100);
        // every dimension fits an int but the product overflows a long
        byte[] product = header(0x7fff0000, 0x7fff0000, 0x7fff0000);
        assertTrue(assertThrows(MalformedFileException.class, () -> IdxFormat.parse(product, "p"))
                .getMessage().contains("overflowing"));
    }

    private static byte[] header(long... dims) {
        byte[] b = new byte[4 + 4 * dims.length];
        b[2] = 0x08;
        b[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            for (int k = 0; k < 4; k++) {
                b[4 + 4 * i + k] = (byte) (dims[i] >>> (24 - 8 * k));
            }
        }
        return b;
    }

    private static byte[] gzip(byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** IdxFuzzTest finding: dimensions whose prefix product overflows, followed by a 0, are an empty array. */
    @Test
    void zeroDimensionAfterAnOverflowingPrefixIsEmpty() throws IOException {
        IdxArray a = IdxFormat.parse(header(0x7fff0000, 0x7fff0000, 0x7fff0000, 0), "z");
        assertEquals(0, a.data().length);
        assertArrayEquals(new int[] {0x7fff0000, 0x7fff0000, 0x7fff0000, 0}, a.dims());
        assertThrows(MalformedFileException.class, () -> IdxDatasets.combine("z", a, "z", a, "z", IdxDatasets.MNIST_CLASSES));
    }
}
