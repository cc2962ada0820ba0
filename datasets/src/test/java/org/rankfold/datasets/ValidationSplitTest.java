package org.rankfold.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    /** 100 one-pixel images whose pixel value and label both identify the image (label = index % 10). */
    private static Dataset numbered(int n) {
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i % 10;
        }
        return Dataset.ofBytes("t", 1, 1, 1, px, labels, IntStream.range(0, 10).mapToObj(Integer::toString).toList());
    }

    private static int[] ids(Dataset d) {
        int[] r = new int[d.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = d.imageBytes(i)[0] & 0xFF;
        }
        return r;
    }

    @Test
    void partitionsTheImagesInOriginalOrderAndIsAFunctionOfTheSeed() {
        Dataset all = numbered(100);
        ValidationSplit s = ValidationSplit.of(all, 10, 7);
        assertEquals(90, s.train().size());
        assertEquals(10, s.validation().size());
        int[] t = ids(s.train());
        int[] v = ids(s.validation());
        int[] both = IntStream.concat(Arrays.stream(t), Arrays.stream(v)).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 100).toArray(), both, "every image exactly once");
        assertArrayEquals(Arrays.stream(t).sorted().toArray(), t, "training images keep their order");
        assertArrayEquals(Arrays.stream(v).sorted().toArray(), v, "validation images keep their order");
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i] % 10, s.validation().label(i), "labels travel with their images");
        }
        assertArrayEquals(v, ids(ValidationSplit.of(all, 10, 7).validation()), "same seed, same split");
        assertNotEquals(List.of(Arrays.toString(v)), List.of(Arrays.toString(ids(ValidationSplit.of(all, 10, 8).validation()))));
    }

    @Test
    void defaultSizeIsFiveThousandOrATenth() {
        assertEquals(5000, ValidationSplit.defaultSize(60000));
        assertEquals(600, ValidationSplit.defaultSize(6000));
        assertEquals(200, ValidationSplit.defaultSize(2000));
    }

    @Test
    void refusesASplitThatLeavesNothingToTrainOn() {
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(numbered(5), 5, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(numbered(5), -1, 1));
        assertEquals(0, ValidationSplit.of(numbered(5), 0, 1).validation().size());
    }
}
