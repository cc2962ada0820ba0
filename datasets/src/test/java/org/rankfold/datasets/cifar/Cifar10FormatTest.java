package org.rankfold.datasets.cifar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

class Cifar10FormatTest extends SeededTest {

    private byte[] batch(int n, SplittableRandom rng) {
        int[] labels = new int[n];
        byte[] px = new byte[n * Cifar10Format.IMAGE_BYTES];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        return Cifar10Format.toBytes(labels, px);
    }

    @Test
    void readsBatchFilesIntoOneDataset(@TempDir Path dir) throws IOException {
        SplittableRandom rng = random();
        byte[] b1 = batch(3, rng);
        byte[] b2 = batch(2, rng);
        Files.write(dir.resolve("data_batch_1.bin"), b1);
        Files.write(dir.resolve("data_batch_2.bin"), b2);
        List<Path> files = Cifar10Format.trainFiles(dir);
        assertEquals(2, files.size());
        Dataset d = Cifar10Format.read("cifar10-train", files);
        assertEquals(5, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(b1[Cifar10Format.RECORD_BYTES] & 0xff, d.label(1));
        assertEquals(b2[0] & 0xff, d.label(3));
        // record 4 = second record of batch 2; its green plane starts 1024 values into the image
        int pixelAt = Cifar10Format.RECORD_BYTES + 1 + 1024;
        assertEquals((b2[pixelAt] & 0xff) / 255f, d.pixel(4, 1024), 0f);
        assertArrayEquals(Arrays.copyOfRange(b1, 1, 1 + 3072), d.imageBytes(0));
    }

    @Test
    void rejectsLengthNotAMultipleOfTheRecord(@TempDir Path dir) throws IOException {
        byte[] good = batch(2, random());
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Cifar10Format.read(f));
        assertEquals(f.toString(), e.file());
        assertEquals(3073, e.offset());
        assertTrue(e.getMessage().contains("multiple of 3073"), e.getMessage());
        assertThrows(MalformedFileException.class, () -> Cifar10Format.parse(new byte[0], "empty"));
        assertThrows(MalformedFileException.class, () -> Cifar10Format.parse(new byte[3074], "long"));
    }

    @Test
    void rejectsLabelsAboveNine() {
        byte[] bytes = batch(3, random());
        bytes[2 * Cifar10Format.RECORD_BYTES] = 10;
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> Cifar10Format.parse(bytes, "b"));
        assertEquals(2 * 3073, e.offset());
        assertTrue(e.getMessage().contains("record 2"), e.getMessage());
        bytes[2 * Cifar10Format.RECORD_BYTES] = (byte) 255;
        assertThrows(MalformedFileException.class, () -> Cifar10Format.parse(bytes, "b"));
    }
}
