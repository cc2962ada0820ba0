package org.rankfold.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.Main;

/** `bench infer` through the plan: latency next to images/s, --per-layer step shares, --engine autograd. */
class BenchInferPlanTest {

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedCode, code, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void batchOneReportsLatencyAndPerLayerShares(@TempDir Path dir) throws Exception {
        InputShape in = new InputShape(1, 8, 8, 3);
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, in.createZooModel("resnet20", 2), "resnet20", in, TrainingState.initial(), null, null, null);

        String json = run(0, "bench", "infer", "--checkpoint", ck.toString(), "--batch", "1", "--threads", "1", "--runs", "1",
                "--warmup", "0", "--json")[0];
        JsonNode o = new ObjectMapper().readTree(json);
        assertEquals("plan", o.get("engine").asText());
        double median = o.get("latency_ms_median").asDouble();
        double p99 = o.get("latency_ms_p99").asDouble();
        assertTrue(median > 0 && p99 >= median, json);

        String text = run(0, "bench", "infer", "--checkpoint", ck.toString(), "--batch", "1", "--threads", "1", "--runs", "1",
                "--warmup", "0", "--per-layer")[0];
        assertTrue(text.contains("latency median") && text.contains("p99"), text);
        assertTrue(text.contains("per-layer times of the plan, batch 1"), text);
        assertTrue(text.contains("+residual +relu @ layer1.0.conv2 [1 image per tile]"), text);
        // a convolution's parts on lines of their own, in shares of the step
        // (whole images of the 16-channel 3x3 convolutions need no im2col on the CPU; a stride-2 one does)
        assertTrue(text.contains("- im2col 3x3/2") && text.contains("- gemm 3x3 16->16 without im2col +output stage (")
                && text.contains("- im2col 3x3 (row tiles only)") && text.contains("% of the step)"), text);
        double shares = 0;
        for (String line : text.lines().toList()) {
            var m = java.util.regex.Pattern.compile("^\\s+([0-9.]+)% ").matcher(line);
            if (m.find()) {
                shares += Double.parseDouble(m.group(1));
            }
        }
        assertEquals(100, shares, 1.5, text);

        String zoo = run(0, "bench", "infer", "--model", "lenet5", "--batch", "1", "--threads", "1", "--runs", "1",
                "--warmup", "0", "--per-layer")[0];
        assertTrue(zoo.contains("engine plan; latency per step: median") && zoo.contains("conv 5x5 1->6 +bias +relu +maxpool2x2/2"),
                zoo);
        String autograd = run(0, "bench", "infer", "--model", "lenet5", "--batch", "2", "--threads", "1", "--runs", "1",
                "--warmup", "0", "--engine", "autograd")[0];
        assertTrue(autograd.contains("engine autograd"), autograd);
        run(2, "bench", "infer", "--model", "lenet5", "--engine", "autograd", "--per-layer");
        run(2, "bench", "infer", "--model", "lenet5", "--engine", "fast");
    }

    @Test
    void latencyPercentilesByNearestRank() {
        Latency l = new Latency(200);
        for (int i = 1; i <= 100; i++) {
            l.add(i * 1000L);
        }
        assertEquals(50_000, l.percentile(50));
        assertEquals(99_000, l.percentile(99));
        assertEquals(100_000, l.percentile(100));
        assertEquals(100, l.count());
        assertTrue(Double.isNaN(new Latency(3).percentile(50)));
        assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
    }
}
