package org.rankfold.tools;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RanksCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainedKernelRanksMatchTheReference() {
        Map<String, NpyArray> g = CliRun.golden("trained_kernels.npz");
        long[] ranks = g.get("evbmf_rank").asLongs();
        double[] sigma2 = g.get("evbmf_sigma2").asDoubles();
        for (int layer = 1; layer <= 3; layer++) {
            Path k = CliRun.goldenArrayAsNpy("trained_kernels.npz", "conv" + layer + "_w", dir, "k" + layer + ".npy");
            JsonNode j = CliRun.run("ranks", k.toString(), "--json").json();
            for (int mode = 0; mode < 2; mode++) {
                JsonNode m = j.get("modes").get(mode);
                long evbmf = ranks[(layer - 1) * 2 + mode];
                assertEquals(evbmf, m.get("evbmf_rank").asLong(), "conv" + layer + " mode " + mode);
                assertEquals(Math.max(1, evbmf), j.get("r" + mode).asLong());
                assertEquals(evbmf == 0, m.get("clamped_to_one").asBoolean());
                double s2 = sigma2[(layer - 1) * 2 + mode];
                assertEquals(s2, m.get("sigma2").asDouble(), 1e-6 * s2);
            }
            assertEquals(j.get("shape").get(0).asInt(), j.get("modes").get(0).get("unfolding_shape").get(0).asInt());
        }
    }

    @Test
    void weakeningRaisesTheRanks() {
        Path k = CliRun.goldenArrayAsNpy("trained_kernels.npz", "conv3_w", dir, "k.npy");
        JsonNode j = CliRun.run("ranks", k.toString(), "--weakening", "0.5", "--json").json();
        // r = 64 - floor(0.5 * (64 - 14)) = 39; 64 - floor(0.5 * 51) = 39
        assertEquals(39, j.get("r0").asInt());
        assertEquals(39, j.get("r1").asInt());
    }

    @Test
    void humanOutputHasBothModes() {
        Path k = CliRun.goldenArrayAsNpy("trained_kernels.npz", "conv2_w", dir, "k.npy");
        CliRun.Result r = CliRun.run("ranks", k.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("r0 = 10, r1 = 9"), r.out());
        assertTrue(r.out().contains("mode 1 unfolding [32 x 576]"), r.out());
    }

    @Test
    void rejectsBadInput() {
        Path matrix = CliRun.npy(dir, "m.npy", NpyArray.ofDoubles(new int[] {2, 2}, new double[4]));
        CliRun.run("ranks", matrix.toString()).badInput("4-D");
        Path inf = CliRun.npy(dir, "inf.npy", NpyArray.ofDoubles(new int[] {1, 1, 1, 2}, new double[] {0, Double.POSITIVE_INFINITY}));
        CliRun.run("ranks", inf.toString()).badInput("[0, 0, 0, 1]");
        Path k = CliRun.npy(dir, "k.npy", NpyArray.ofDoubles(new int[] {2, 2, 1, 1}, new double[] {1, 2, 3, 4}));
        CliRun.run("ranks", k.toString(), "--weakening", "2").badInput("--weakening");
        CliRun.run("ranks", dir.resolve("nope.npy").toString()).badInput("nope.npy");
    }
}
