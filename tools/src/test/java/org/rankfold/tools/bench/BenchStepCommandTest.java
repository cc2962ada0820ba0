package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench train` and `bench infer` on a small model and batch (the numbers themselves are not checked). */
class BenchStepCommandTest {

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedCode, code, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void trainAndInferReportImagesPerSecondAsJson() throws Exception {
        for (String mode : new String[] {"train", "infer"}) {
            String out = run(0, "bench", mode, "--model", "lenet5", "--batch", "4", "--threads", "1", "--runs", "1",
                    "--warmup", "0", "--json")[0];
            JsonNode o = new ObjectMapper().readTree(out);
            assertEquals(mode, o.get("mode").asText());
            assertEquals("lenet5", o.get("net").asText());
            assertEquals(4, o.get("batch").asInt());
            assertTrue(o.get("images_per_s").asDouble() > 0, out);
        }
    }

    @Test
    void textOutputNamesModelAndShape() {
        String out = run(0, "bench", "infer", "--model", "resnet20", "--batch", "2", "--threads", "1", "--runs", "1",
                "--warmup", "0")[0];
        assertTrue(out.contains("resnet20 infer batch=2 threads=1 input [3, 32, 32]"), out);
        run(2, "bench", "train", "--batch", "0");
    }

    @Test
    void inputShapeOverridesTheModelsDefault() throws Exception {
        String out = run(0, "bench", "train", "--model", "resnet20", "--input", "1x28x28", "--batch", "2", "--threads", "1",
                "--runs", "1", "--warmup", "0", "--json")[0];
        assertEquals("1x28x28", new ObjectMapper().readTree(out).get("input").asText(), out);
        String text = run(0, "bench", "infer", "--model", "resnet20", "--input", "1x16", "--batch", "1", "--threads", "1",
                "--runs", "1", "--warmup", "0")[0];
        assertTrue(text.contains("input [1, 16, 16]"), text);
        assertTrue(run(2, "bench", "train", "--input", "3x32x28")[1].contains("--input must be square"));
        assertTrue(run(2, "bench", "train", "--input", "3by32")[1].contains("--input must be CxHxW such as 1x28x28, got '3by32'"));
        assertTrue(run(2, "bench", "infer", "--input", "0x32x32")[1].contains("1..64 channels"));
    }
}
