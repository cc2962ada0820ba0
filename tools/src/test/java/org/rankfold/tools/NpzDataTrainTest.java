package org.rankfold.tools;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.engine.checkpoint.Preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** train --data npz:FILE: the user's arrays train a model whose checkpoint stores their measured normalization. */
class NpzDataTrainTest {

    @Test
    void trainsOnAnArchiveAndStoresItsStatistics(@TempDir Path dir) throws Exception {
        int n = 40;
        byte[] px = new byte[n * 8 * 8];
        long[] y = new long[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 2 == 0 ? 0 : 255); // every image alike: mean 0.5 and std 0.5 whatever the split
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
        }
        Path f = dir.resolve("mine.npz");
        Npz.write(f, Map.of("x", NpyArray.ofBytes(new int[] {n, 8, 8}, px), "y", NpyArray.ofInts(new int[] {n}, y)));
        Path run = dir.resolve("run");
        CliRun.Result r = CliRun.run("train", "--model", "fashionnet", "--data", "npz:" + f, "--epochs", "1", "--batch", "8",
                "--threads", "1", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Preprocessing p = Preprocessing.read(run.resolve("checkpoint")).orElseThrow();
        assertArrayEquals(new float[] {0.5f}, p.mean(), 1e-6f);
        assertArrayEquals(new float[] {0.5f}, p.std(), 1e-6f);
        assertEquals(4, p.classNames().size());
        CliRun.run("train", "--data", "npz:" + dir.resolve("none.npz"), "--out", dir.resolve("r2").toString())
                .badInput("npz:FILE names an .npz archive");
    }
}
