package org.rankfold.tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report works on a train run (its curves) and on a decompose output (its layers, spectra and ranks). */
class ReportOfTrainAndDecomposeTest {

    @Test
    void trainRunsAndDecomposedCheckpointsGetAReport(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun.Result t = CliRun.run("train", "--model", "fashionnet", "--data", "sample", "--epochs", "2", "--batch", "64",
                "--limit-train", "128", "--limit-test", "64", "--threads", "1", "--quiet", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        CliRun.Result r = CliRun.run("report", run.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("<svg"), "training curves drawn");
        assertTrue(html.contains("fashionnet"), "the run's model named in its configuration");

        Path decomposed = dir.resolve("decomposed");
        CliRun.Result d = CliRun.run("decompose", run.toString(), "--no-eval", "--quiet",
                "--out", decomposed.toString());
        assertEquals(0, d.code(), d.err());
        CliRun.Result rd = CliRun.run("report", decomposed.toString());
        assertEquals(0, rd.code(), rd.err());
        String dh = Files.readString(decomposed.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(dh.contains("conv2"), "per-layer section names the decomposed layers");
        assertTrue(dh.contains("<svg"), "spectra drawn");
    }
}
