package org.rankfold.datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --data npz:FILE: x/y with a seeded split, or given parts; defects named. */
class NpzDataTest {

    private static final DataResolver RESOLVER = new DataResolver(Optional.empty(), List.of());

    private static NpyArray labels(long... v) {
        return NpyArray.ofInts(new int[] {v.length}, v);
    }

    @Test
    void xAndYAreSplitByAFixedSeed(@TempDir Path dir) throws Exception {
        int n = 25;
        byte[] px = new byte[n * 2 * 3];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            px[i * 6] = (byte) i; // the first pixel of image i identifies it
            y[i] = i % 3;
        }
        Path f = dir.resolve("d.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.ofBytes(new int[] {n, 2, 3}, px));
        m.put("y", labels(y));
        Npz.write(f, m);
        DataSplit s = RESOLVER.load("npz:" + f);
        assertEquals(23, s.train().size());
        assertEquals(2, s.test().size(), "every 10th of 25 shuffled images");
        assertEquals(1, s.train().channels());
        assertEquals(2, s.train().height());
        assertEquals(3, s.train().width());
        assertEquals(List.of("0", "1", "2"), s.train().classNames());
        int[] seen = new int[n];
        for (Dataset d : List.of(s.train(), s.test())) {
            for (int i = 0; i < d.size(); i++) {
                int id = d.imageBytes(i)[0];
                seen[id]++;
                assertEquals(id % 3, d.label(i), "labels follow their images");
            }
        }
        int[] once = new int[n];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen, "each image in exactly one part");
        DataSplit again = RESOLVER.load("npz:" + f);
        assertEquals(s.test().imageBytes(0)[0], again.test().imageBytes(0)[0], "the same split every time");
    }

    @Test
    void givenPartsAndFloatImages(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x_train", NpyArray.ofFloats(new int[] {4, 3, 2, 2}, new float[48]));
        m.put("y_train", labels(0, 1, 1, 0));
        m.put("x_test", NpyArray.ofFloats(new int[] {2, 3, 2, 2}, new float[24]));
        m.put("y_test", labels(1, 0));
        Npz.write(f, m);
        DataSplit s = RESOLVER.load("npz:" + f);
        assertEquals(4, s.train().size());
        assertEquals(2, s.test().size());
        assertEquals(3, s.test().channels());
    }

    @Test
    void defectsAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.npz");
        Npz.write(f, Map.of("x", NpyArray.ofBytes(new int[] {2, 2, 2}, new byte[8])));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> RESOLVER.load("npz:" + f));
        assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains(f.toString()), e.getMessage());
        Npz.write(f, Map.of("x", NpyArray.ofFloats(new int[] {2, 2, 2}, new float[] {0, 0, 0, 0, 0, 0, 0, 255}),
                "y", labels(0, 1)));
        e = assertThrows(MalformedFileException.class, () -> RESOLVER.load("npz:" + f));
        assertTrue(e.getMessage().contains("[0, 1] scale"), e.getMessage());
        Npz.write(f, Map.of("x", NpyArray.ofBytes(new int[] {2, 2, 2}, new byte[8]), "y", labels(0, 0)));
        e = assertThrows(MalformedFileException.class, () -> RESOLVER.load("npz:" + f));
        assertTrue(e.getMessage().contains("at least 2 classes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RESOLVER.load("npz:" + dir.resolve("none.npz")));
    }
}
