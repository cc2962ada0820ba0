package org.rankfold.datasets.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.idx.IdxDatasets;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest extends SeededTest {

    /** n images of (c, h, w) whose pixel bytes are random and whose label is the image index mod 10. */
    private Dataset dataset(int n, int c, int h, int w) {
        SplittableRandom rng = random();
        byte[] px = new byte[n * c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return Dataset.ofBytes("t", c, h, w, px, labels, IdxDatasets.MNIST_CLASSES);
    }

    private static List<Batch> all(DataLoader loader, int epoch, int first) {
        List<Batch> out = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch(epoch, first)) {
            for (Batch b : e) {
                out.add(b);
            }
        }
        return out;
    }

    @Test
    void aBatchLargerThanTheDataIsOneBatchOfAllImages() {
        // Before: --batch 2147483647 overflowed (n + b - 1) and evaluated 0 images ("test accuracy NaN%").
        Dataset d = dataset(10, 1, 2, 2);
        LoaderOptions o = new LoaderOptions(Integer.MAX_VALUE, false, false, 1, Normalization.identity(1), Augmentation.NONE, false);
        try (DataLoader keep = new DataLoader(d, o); DataLoader drop = new DataLoader(d, o.withDropLast(true))) {
            assertEquals(1, keep.batchesPerEpoch());
            assertEquals(List.of(10), all(keep, 0, 0).stream().map(Batch::size).toList());
            assertEquals(0, drop.batchesPerEpoch());
        }
    }

    @Test
    void batchingKeepsOrDropsThePartialBatch() {
        Dataset d = dataset(10, 1, 2, 2);
        LoaderOptions o = new LoaderOptions(4, false, false, 1, Normalization.identity(1), Augmentation.NONE, false);
        try (DataLoader keep = new DataLoader(d, o); DataLoader drop = new DataLoader(d, o.withDropLast(true))) {
            assertEquals(3, keep.batchesPerEpoch());
            List<Batch> k = all(keep, 0, 0);
            assertEquals(List.of(4, 4, 2), k.stream().map(Batch::size).toList());
            assertArrayEquals(new int[] {8, 9}, k.get(2).labels());
            assertEquals(2, drop.batchesPerEpoch());
            assertEquals(2, all(drop, 0, 0).size());
            // unshuffled, unnormalized: image values are the bytes / 255
            assertEquals((d.imageBytes(5)[3] & 0xff) / 255f, k.get(1).images()[4 + 3], 0f);
        }
    }

    @Test
    void shuffleIsAPermutationPerEpochAndSeeded() {
        Dataset d = dataset(50, 1, 1, 1);
        LoaderOptions o = new LoaderOptions(7, true, false, 42, Normalization.identity(1), Augmentation.NONE, false);
        try (DataLoader a = new DataLoader(d, o); DataLoader b = new DataLoader(d, o)) {
            int[] e0 = a.order(0);
            int[] sorted = e0.clone();
            Arrays.sort(sorted);
            int[] identity = new int[50];
            Arrays.setAll(identity, i -> i);
            assertArrayEquals(identity, sorted, "a permutation");
            assertFalse(Arrays.equals(identity, e0), "shuffled");
            assertFalse(Arrays.equals(e0, a.order(1)), "a new order each epoch");
            assertArrayEquals(e0, b.order(0), "same seed, same order");
            try (DataLoader c = new DataLoader(d, new LoaderOptions(7, true, false, 43, Normalization.identity(1), Augmentation.NONE, false))) {
                assertFalse(Arrays.equals(e0, c.order(0)), "another seed, another order");
            }
        }
    }

    @Test
    void prefetchAndResumeGiveBitIdenticalBatches() {
        Dataset d = dataset(37, 3, 8, 8);
        LoaderOptions o = new LoaderOptions(5, true, false, 7, Normalization.CIFAR10, Augmentation.CIFAR, false);
        try (DataLoader plain = new DataLoader(d, o); DataLoader pre = new DataLoader(d, o.withPrefetch(true))) {
            for (int epoch = 0; epoch < 3; epoch++) {
                List<Batch> x = all(plain, epoch, 0);
                List<Batch> y = all(pre, epoch, 0);
                List<Batch> resumed = all(pre, epoch, 3);
                assertEquals(x.size(), y.size());
                for (int i = 0; i < x.size(); i++) {
                    assertArrayEquals(x.get(i).images(), y.get(i).images(), "epoch " + epoch + " batch " + i);
                    assertArrayEquals(x.get(i).labels(), y.get(i).labels());
                    assertArrayEquals(x.get(i).images(), plain.batch(epoch, i).images());
                    if (i >= 3) {
                        assertArrayEquals(x.get(i).images(), resumed.get(i - 3).images(), "resumed batch " + i);
                        assertEquals(i, resumed.get(i - 3).index());
                    }
                }
            }
            assertNotEquals(Arrays.hashCode(plain.batch(0, 0).images()), Arrays.hashCode(plain.batch(1, 0).images()));
        }
    }

    @Test
    void normalizationMatchesTheFormula() {
        Dataset d = dataset(3, 1, 4, 4);
        LoaderOptions o = new LoaderOptions(3, false, false, 0, Normalization.FASHION_MNIST, Augmentation.NONE, true);
        try (DataLoader l = new DataLoader(d, o)) {
            Batch b = l.batch(0, 0);
            for (int i = 0; i < 3; i++) {
                byte[] raw = d.imageBytes(i);
                for (int p = 0; p < 16; p++) {
                    float expected = ((raw[p] & 0xff) / 255f - 0.2860f) / 0.3530f;
                    assertEquals(expected, b.images()[i * 16 + p], 0f);
                }
            }
        }
    }

    @Test
    void cropAndFlipMoveTheImageWithinZeroPadding() {
        // a 1x3x3 image 1..9; padding 1 gives offsets -1..1 in each direction
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Augmentation a = new Augmentation(1, true);
        SplittableRandom rng = random();
        boolean sawShift = false;
        boolean sawFlip = false;
        for (int trial = 0; trial < 200; trial++) {
            float[] x = img.clone();
            long seed = rng.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            SplittableRandom replay = new SplittableRandom(seed);
            a.applyInPlace(x, 0, 1, 3, 3, r, new float[9]);
            int dy = replay.nextInt(3) - 1;
            int dx = replay.nextInt(3) - 1;
            boolean flip = replay.nextBoolean();
            for (int y = 0; y < 3; y++) {
                for (int col = 0; col < 3; col++) {
                    int sy = y + dy;
                    int sx = (flip ? 2 - col : col) + dx;
                    float want = sy < 0 || sy > 2 || sx < 0 || sx > 2 ? 0 : img[sy * 3 + sx];
                    assertEquals(want, x[y * 3 + col], 0f);
                }
            }
            sawShift |= dy != 0 || dx != 0;
            sawFlip |= flip;
        }
        assertTrue(sawShift && sawFlip);
        // the identity changes nothing
        float[] x = img.clone();
        Augmentation.NONE.applyInPlace(x, 0, 1, 3, 3, rng, new float[9]);
        assertArrayEquals(img, x);
    }

    @Test
    void normalizationChannelsMustMatch() {
        Dataset d = dataset(3, 1, 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(d, LoaderOptions.training(2, 1, Normalization.CIFAR10)));
        assertThrows(IllegalArgumentException.class, () -> new LoaderOptions(0, true, false, 1, Normalization.MNIST, Augmentation.NONE, true));
    }

    @Test
    void recycledArraysAreReusedWithoutChangingTheBatches() {
        Dataset d = dataset(20, 3, 4, 4);
        LoaderOptions o = new LoaderOptions(6, true, false, 3, Normalization.CIFAR10, Augmentation.CIFAR, true);
        try (DataLoader fresh = new DataLoader(d, o); DataLoader recycling = new DataLoader(d, o)) {
            List<Batch> expected = all(fresh, 1, 0);
            List<Batch> got = new ArrayList<>();
            float[] first = null;
            boolean reused = false;
            try (DataLoader.Epoch e = recycling.epoch(1)) {
                for (Batch b : e) {
                    got.add(new Batch(b.epoch(), b.index(), b.images().clone(), b.labels().clone(), b.channels(), b.height(), b.width()));
                    if (first == null) {
                        first = b.images();
                    } else {
                        reused |= b.images() == first;
                    }
                    recycling.recycle(b);
                }
            }
            assertTrue(reused, "a recycled array came back");
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).images(), got.get(i).images(), "batch " + i);
                assertArrayEquals(expected.get(i).labels(), got.get(i).labels(), "batch " + i);
            }
        }
    }

    @Test
    void floatDatasetsAreBatchedAsStored() {
        float[] px = uniform(random(), 2 * 4);
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.abs(px[i]);
        }
        Dataset d = Dataset.ofFloats("f", 1, 2, 2, px, new int[] {4, 2}, IdxDatasets.MNIST_CLASSES);
        assertFalse(d.isUint8());
        try (DataLoader l = new DataLoader(d, LoaderOptions.evaluation(2, Normalization.identity(1)))) {
            assertArrayEquals(px, l.batch(0, 0).images());
            assertArrayEquals(new int[] {4, 2}, l.batch(0, 0).labels());
        }
        Dataset s = d.subset("s", new int[] {1, 1, 0});
        assertArrayEquals(new int[] {2, 2, 4}, s.labels());
        assertEquals(px[4], s.pixel(0, 0), 0f);
        assertEquals(1, d.head(1).size());
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloats("bad", 1, 2, 2, px, new int[] {1}, IdxDatasets.MNIST_CLASSES));
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloats("bad", 1, 2, 2, px, new int[] {1, 10}, IdxDatasets.MNIST_CLASSES));
    }
}
