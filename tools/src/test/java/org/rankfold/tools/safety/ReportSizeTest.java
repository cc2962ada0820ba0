package org.rankfold.tools.safety;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report} on a very long audit.jsonl. Before: a 462 MB audit made a 1.35 GB page and ran out of memory
 * at a 256 MB heap (the file was read whole, every record kept, every spectrum drawn in full). Now the audit
 * is streamed, one record per (variant, layer) is kept, long spectra are down-sampled: a real `report` process
 * with a 256 MB heap handles a 300 MB audit and writes a page of a few megabytes.
 */
class ReportSizeTest {
    private static final int LAYERS = 400;
    private static final int REPEATS = 5;
    private static final int VALUES = 7000;

    /** About 300 MB: LAYERS x REPEATS decomposition records with two spectra of VALUES values each. */
    private static long writeAudit(Path file) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int rep = 0; rep < REPEATS; rep++) {
                for (int l = 0; l < LAYERS; l++) {
                    StringBuilder b = new StringBuilder(200_000);
                    b.append("{\"step\":\"decompose\",\"variant\":\"full\",\"phase\":\"full/decompose\",\"layer\":\"layer")
                            .append(l).append(".conv\",\"decomposition\":\"tucker2\",\"kernel_shape\":[64,64,3,3],\"ranks\":[9,9],")
                            .append("\"params_before\":36864,\"params_after\":2000,\"macs_before\":1,\"macs_after\":1,\"unfoldings\":[");
                    for (int mode = 0; mode < 2; mode++) {
                        b.append(mode == 0 ? "" : ",").append("{\"mode\":").append(mode)
                                .append(",\"shape\":[64,576],\"selector\":\"evbmf\",\"sigma2\":0.01,\"threshold\":0.5,")
                                .append("\"proposed_rank\":9,\"rank\":9,\"singular_values\":[");
                        double v = 10;
                        for (int i = 0; i < VALUES; i++) {
                            v *= 0.999 - 0.0001 * rng.nextDouble();
                            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.12f", v));
                        }
                        b.append("]}");
                    }
                    b.append("]}\n");
                    w.write(b.toString());
                }
            }
        }
        return Files.size(file);
    }

    @Test
    void aHugeAuditMakesABoundedPageAtA256MbHeap(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("config.json"), "{\"model\":\"resnet20\",\"seed\":1}");
        long bytes = writeAudit(run.resolve("audit.jsonl"));
        assertTrue(bytes > 250_000_000L, "audit of " + bytes + " bytes");
        Path log = dir.resolve("log");
        Process p = ChildCli.start(List.of("-Xmx256m"), List.of("report", run.toString()), log);
        assertTrue(p.waitFor(540, TimeUnit.SECONDS), "report did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Path page = run.resolve("report.html");
        long size = Files.size(page);
        assertTrue(size < 32_000_000L, "report.html of " + size + " bytes");
        String html = Files.readString(page);
        assertTrue(html.contains("7000 singular values (256 of them drawn)"), "down-sampled spectra are labelled");
        assertTrue(html.contains("Variant full (300 layers)") && html.contains("500 further decomposition records"),
                "one record per layer, at most 300 drawn");
    }
}
