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

/**
 * The user's own data: train --data npz:FILE and images:DIR train a model whose checkpoint stores the measured
 * normalization and the class names, and predict names the classes of new images.
 */
class NpzDataTrainTest {

    @Test
    void trainsOnAnImageFolderAndPredictsItsClassNames(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pets");
        for (String cls : new String[] {"cat", "dog"}) {
            java.nio.file.Files.createDirectories(data.resolve(cls));
            for (int i = 0; i < 12; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(9, 9, java.awt.image.BufferedImage.TYPE_INT_RGB);
                img.setRGB(i % 9, (i * 5) % 9, cls.equals("cat") ? 0xffffff : 0x808080);
                javax.imageio.ImageIO.write(img, "png", data.resolve(cls).resolve(i + ".png").toFile());
            }
        }
        Path run = dir.resolve("run");
        CliRun.Result r = CliRun.run("train", "--model", "fashionnet", "--data", "images-8x1:" + data, "--epochs", "1",
                "--batch", "8", "--threads", "1", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Preprocessing p = Preprocessing.read(run.resolve("checkpoint")).orElseThrow();
        assertEquals(java.util.List.of("cat", "dog"), p.classNames());
        CliRun.Result pr = CliRun.run("predict", run.resolve("checkpoint").toString(), data.resolve("cat/3.png").toString(),
                "--top", "2", "--threads", "1");
        assertEquals(0, pr.code(), pr.err());
        org.junit.jupiter.api.Assertions.assertTrue(pr.out().contains("cat") && pr.out().contains("dog"), pr.out());
    }

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
