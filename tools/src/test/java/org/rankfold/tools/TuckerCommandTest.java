package org.rankfold.tools;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuckerCommandTest {
    @TempDir
    Path dir;

    @Test
    void errorsAndSweepsMatchTensorLyAndFactorsAreWritten() throws Exception {
        String file = "tucker/trained_conv3.npz";
        Map<String, NpyArray> g = CliRun.golden(file);
        Path k = CliRun.goldenArrayAsNpy(file, "W", dir, "w.npy");
        Path out = dir.resolve("factors.npz");
        JsonNode j = CliRun.run("tucker", k.toString(), "--ranks", "14,13", "--out", out.toString(), "--json").json();
        double err = g.get("err_hooi").asDoubles()[0];
        assertEquals(err, j.get("relative_error").asDouble(), 1e-8 * err);
        double hosvd = g.get("err_hosvd").asDoubles()[0];
        assertEquals(hosvd, j.get("hosvd_relative_error").asDouble(), 1e-10 * hosvd);
        assertEquals(g.get("n_iter_hooi").asLongs()[0], j.get("iterations").asLong());
        assertEquals(64L * 64 * 9, j.get("params_before").asLong());
        assertEquals(64L * 14 + 64L * 13 + 14L * 13 * 9, j.get("params_after").asLong());

        Map<String, NpyArray> f = Npz.read(out);
        assertArrayEquals(new int[] {14, 13, 3, 3}, f.get("core").shape());
        assertArrayEquals(new int[] {64, 14}, f.get("U0").shape());
        assertArrayEquals(new int[] {64, 13}, f.get("U1").shape());
        assertEquals(j.get("relative_error").asDouble(), f.get("relative_error").scalar());
        // TensorLy's sign rule on both sides: the core agrees with partial_tucker's
        double[] core = g.get("r0_core").asDoubles();
        double[] mine = f.get("core").asDoubles();
        for (int i = 0; i < core.length; i++) {
            assertEquals(core[i], mine[i], 1e-8);
        }
    }

    @Test
    void tightAndHosvdRules() {
        String file = "tucker/t00_gauss_32x16x3x3.npz";
        Map<String, NpyArray> g = CliRun.golden(file);
        Path k = CliRun.goldenArrayAsNpy(file, "W", dir, "w.npy");
        // configuration 2 of the file, ranks (16, 8): TensorLy's converged run needs 46 sweeps
        JsonNode tight = CliRun.run("tucker", k.toString(), "--ranks", "16,8", "--stop", "tight", "--json").json();
        double errTight = g.get("err_hooi_tight").asDoubles()[2];
        assertTrue(Math.abs(tight.get("relative_error").asDouble() - errTight) < 1e-9, tight.toString());
        JsonNode hosvd = CliRun.run("tucker", k.toString(), "--ranks", "16,8", "--stop", "hosvd", "--json").json();
        assertEquals(0, hosvd.get("iterations").asInt());
        assertEquals(g.get("err_hosvd").asDoubles()[2], hosvd.get("relative_error").asDouble(), 1e-10);
    }

    @Test
    void humanOutput() {
        Path k = CliRun.goldenArrayAsNpy("tucker/t02_gauss_16x8x1x1.npz", "W", dir, "w.npy");
        CliRun.Result r = CliRun.run("tucker", k.toString(), "--ranks", "4,2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("relative error"), r.out());
        assertTrue(r.out().contains("HOOI sweeps           3"), r.out());
    }

    @Test
    void rejectsBadRanksAndInput() {
        Path k = CliRun.npy(dir, "k.npy", NpyArray.ofDoubles(new int[] {4, 3, 1, 1}, new double[12]));
        CliRun.run("tucker", k.toString(), "--ranks", "5,1").badInput("R0 must be in [1, 4]");
        CliRun.run("tucker", k.toString(), "--ranks", "0,1").badInput("R0");
        CliRun.run("tucker", k.toString(), "--ranks", "2,4").badInput("R1 must be in [1, 3]");
        CliRun.run("tucker", k.toString(), "--ranks", "2").badInput("two ranks");
        CliRun.run("tucker", k.toString(), "--ranks", "2,1", "--out", dir.resolve("no/such/dir/f.npz").toString())
                .badInput("does not exist");
        CliRun.run("tucker", k.toString(), "--ranks", "2,1", "--out", dir.toString()).badInput("is a directory");
        Path m = CliRun.npy(dir, "m.npy", NpyArray.ofDoubles(new int[] {4, 3}, new double[12]));
        CliRun.run("tucker", m.toString(), "--ranks", "1,1").badInput("4-D");
        CliRun.Result missing = CliRun.run("tucker", k.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--ranks"), missing.err());
        CliRun.Result notInt = CliRun.run("tucker", k.toString(), "--ranks", "a,b");
        assertEquals(2, notInt.code());
    }
}
