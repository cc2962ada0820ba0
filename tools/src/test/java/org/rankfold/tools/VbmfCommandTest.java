package org.rankfold.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VbmfCommandTest {
    @TempDir
    Path dir;

    @Test
    void estimatesRankAndNoiseLikeTheReference() {
        String file = "evbmf/e06_576x64_r6_LgtM.npz";
        Path y = CliRun.goldenArrayAsNpy(file, "Y", dir, "y.npy");
        Map<String, NpyArray> g = CliRun.golden(file);
        JsonNode j = CliRun.run("vbmf", y.toString(), "--json").json();
        assertEquals(g.get("tight_rank").scalarLong(), j.get("rank").asLong());
        assertEquals(g.get("tight_sigma2").scalar(), j.get("sigma2").asDouble(), 1e-6 * g.get("tight_sigma2").scalar());
        assertEquals(64, j.get("singular_values").size());
        assertEquals(j.get("rank").asInt(), j.get("shrunk_singular_values").size());
        assertTrue(j.get("threshold").asDouble() > 0);
        assertTrue(j.get("transposed").asBoolean());
        assertTrue(j.get("sigma2_estimated").asBoolean());
    }

    @Test
    void givenNoiseVariance() {
        String file = "evbmf/e02_16x144_r4_given.npz";
        Path y = CliRun.goldenArrayAsNpy(file, "Y", dir, "y.npy");
        Map<String, NpyArray> g = CliRun.golden(file);
        JsonNode j = CliRun.run("vbmf", y.toString(), "--sigma2", "1", "--json").json();
        assertEquals(g.get("tight_rank").scalarLong(), j.get("rank").asLong());
        assertEquals(1.0, j.get("sigma2").asDouble());
        assertTrue(j.get("sigma2_bounds").isNull());
        double[] d = g.get("tight_d").asDoubles();
        for (int h = 0; h < d.length; h++) {
            assertEquals(d[h], j.get("shrunk_singular_values").get(h).asDouble(), 1e-10 * d[h]);
        }
    }

    @Test
    void plainVbmfWithAFixedPriorProduct() {
        String file = "vbmf/v02_16x144_r3_est.npz";
        Path y = CliRun.goldenArrayAsNpy(file, "Y", dir, "y.npy");
        Map<String, NpyArray> g = CliRun.golden(file);
        JsonNode j = CliRun.run("vbmf", y.toString(), "--cacb", "0.08", "--json").json();
        assertEquals("vbmf", j.get("method").asText());
        assertEquals(g.get("tight_rank").scalarLong(), j.get("rank").asLong());
        assertEquals(g.get("tight_sigma2").scalar(), j.get("sigma2").asDouble(), 1e-6 * g.get("tight_sigma2").scalar());
        CliRun.run("vbmf", y.toString(), "--cacb", "0").badInput("--cacb");
    }

    @Test
    void humanOutputNamesTheFields() {
        Path y = CliRun.goldenArrayAsNpy("evbmf/e00_16x144_r4.npz", "Y", dir, "y.npy");
        CliRun.Result r = CliRun.run("vbmf", y.toString());
        assertEquals(0, r.code(), r.err());
        for (String field : new String[] {"rank", "sigma2", "threshold", "singular values", "shrunk"}) {
            assertTrue(r.out().contains(field), field + " in:\n" + r.out());
        }
        assertTrue(r.out().contains("4 of 16"), r.out());
    }

    @Test
    void floatAndIntegerInputsAreAccepted() {
        Path f = CliRun.npy(dir, "f.npy", NpyArray.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 7}));
        assertEquals(0, CliRun.run("vbmf", f.toString(), "--json").code());
        Path i = CliRun.npy(dir, "i.npy", NpyArray.ofLongs(new int[] {2, 3}, new long[] {1, 2, 3, 4, 5, 7}));
        assertEquals(0, CliRun.run("vbmf", i.toString(), "--json").code());
    }

    @Test
    void rejectsBadInputWithOneLine() throws Exception {
        Path threeD = CliRun.npy(dir, "t.npy", NpyArray.ofDoubles(new int[] {2, 2, 2}, new double[8]));
        CliRun.run("vbmf", threeD.toString()).badInput("2-D");
        Path nan = CliRun.npy(dir, "nan.npy", NpyArray.ofDoubles(new int[] {2, 2}, new double[] {1, Double.NaN, 3, 4}));
        CliRun.run("vbmf", nan.toString()).badInput("[0, 1]");
        Path empty = CliRun.npy(dir, "e.npy", NpyArray.ofDoubles(new int[] {0, 3}, new double[0]));
        CliRun.run("vbmf", empty.toString()).badInput("shape [0, 3]");
        CliRun.run("vbmf", dir.resolve("missing.npy").toString()).badInput("missing.npy");
        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "not a numpy file at all");
        CliRun.run("vbmf", garbage.toString()).badInput("garbage.npy");
        CliRun.run("vbmf", dir.toString()).badInput("not a regular file");
        Path ok = CliRun.npy(dir, "ok.npy", NpyArray.ofDoubles(new int[] {2, 2}, new double[] {1, 2, 3, 4}));
        CliRun.run("vbmf", ok.toString(), "--sigma2", "-1").badInput("--sigma2");
        CliRun.run("vbmf", ok.toString(), "--sigma2", "NaN").badInput("--sigma2");
    }
}
