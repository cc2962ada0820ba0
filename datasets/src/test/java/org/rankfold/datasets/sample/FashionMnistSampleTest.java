package org.rankfold.datasets.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rankfold.datasets.DataResolver;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.idx.IdxArray;
import org.rankfold.datasets.idx.IdxDatasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistSampleTest {

    @Test
    void bundledSampleIsBalancedAndSmall() throws IOException {
        DataSplit s = FashionMnistSample.load();
        assertEquals(6000, s.train().size());
        assertEquals(1000, s.test().size());
        assertEquals(28, s.train().height());
        int[] tenOf600 = new int[10];
        java.util.Arrays.fill(tenOf600, 600);
        assertArrayEquals(tenOf600, s.train().classCounts());
        int[] tenOf100 = new int[10];
        java.util.Arrays.fill(tenOf100, 100);
        assertArrayEquals(tenOf100, s.test().classCounts());
        long bytes = 0;
        for (String f : new String[] {FashionMnistSample.TRAIN_IMAGES, FashionMnistSample.TRAIN_LABELS,
                FashionMnistSample.TEST_IMAGES, FashionMnistSample.TEST_LABELS}) {
            try (InputStream in = FashionMnistSample.class.getResourceAsStream(FashionMnistSample.RESOURCE_DIR + f)) {
                bytes += in.readAllBytes().length;
            }
        }
        assertTrue(bytes < 6_000_000, "sample is " + bytes + " bytes");
        assertTrue(s.summary().startsWith("fashion-mnist sample (bundled): 6000 train + 1000 test images"), s.summary());
    }

    @Test
    void selectionIsSeededBalancedAndSorted() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
        }
        int[] a = SampleMaker.select(labels, 10, 20, 5);
        assertArrayEquals(a, SampleMaker.select(labels, 10, 20, 5), "same seed, same selection");
        assertTrue(!java.util.Arrays.equals(a, SampleMaker.select(labels, 10, 20, 6)), "another seed, another selection");
        int[] counts = new int[10];
        for (int i = 0; i < a.length; i++) {
            counts[labels[a[i]]]++;
            assertTrue(i == 0 || a[i] > a[i - 1], "ascending, no repeats");
        }
        for (int c : counts) {
            assertEquals(20, c);
        }
    }

    /** The bundled files are exactly what SampleMaker picks from the full set (checked where the full set is installed). */
    @Test
    void bundledSampleIsReproducibleFromTheFullSet() throws IOException {
        Path full = DataResolver.SYSTEM_DATASETS.resolve("fashion-mnist");
        Assumptions.assumeTrue(Files.isRegularFile(full.resolve("train-images-idx3-ubyte.gz")),
                "the full Fashion-MNIST is not installed at " + full + " (apt-get install dataset-fashion-mnist)");
        Dataset train = IdxDatasets.read("train", full.resolve("train-images-idx3-ubyte.gz"),
                full.resolve("train-labels-idx1-ubyte.gz"), IdxDatasets.FASHION_MNIST_CLASSES);
        Dataset test = IdxDatasets.read("test", full.resolve("t10k-images-idx3-ubyte.gz"),
                full.resolve("t10k-labels-idx1-ubyte.gz"), IdxDatasets.FASHION_MNIST_CLASSES);
        DataSplit bundled = FashionMnistSample.load();
        check(SampleMaker.make(train, 600, SampleMaker.TRAIN_SEED), bundled.train());
        check(SampleMaker.make(test, 100, SampleMaker.TEST_SEED), bundled.test());
    }

    private static void check(IdxArray[] remade, Dataset bundled) {
        byte[] labels = remade[1].data();
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], bundled.label(i), "label " + i);
        }
        int per = bundled.imageSize();
        for (int i = 0; i < bundled.size(); i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(remade[0].data(), i * per, i * per + per), bundled.imageBytes(i), "image " + i);
        }
    }
}
