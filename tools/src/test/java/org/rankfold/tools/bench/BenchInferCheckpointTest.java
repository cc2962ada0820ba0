package org.rankfold.tools.bench;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench infer --checkpoint DIR --compare DIR2` on a tiny model and its decomposition. */
class BenchInferCheckpointTest {

    private static String[] run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedCode, code, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void aCompressedCheckpointIsTimedAgainstItsBaselineWithTheMacsRatio(@TempDir Path dir) throws Exception {
        InputShape in = new InputShape(1, 8, 8, 3);
        Path base = dir.resolve("baseline");
        CheckpointWriter.save(base, in.createZooModel("fashionnet", 2), "fashionnet", in, TrainingState.initial(), null, null, null);
        Path small = dir.resolve("small");
        run(0, "decompose", base.toString(), "--out", small.toString(), "--selector", "ratio:0.25", "--json");

        String out = run(0, "bench", "infer", "--checkpoint", small.toString(), "--compare", base.toString(), "--batch", "2",
                "--threads", "1", "--runs", "1", "--warmup", "0", "--json")[0];
        JsonNode o = new ObjectMapper().readTree(out);
        assertEquals(small.toString(), o.get("checkpoint").asText());
        assertEquals(base.toString(), o.at("/compare/checkpoint").asText());
        assertTrue(o.get("images_per_s").asDouble() > 0 && o.at("/compare/images_per_s").asDouble() > 0, out);
        assertEquals(o.get("images_per_s").asDouble() / o.at("/compare/images_per_s").asDouble(),
                o.get("speed_ratio").asDouble(), 1e-9);
        assertEquals((double) o.at("/compare/macs").asLong() / o.get("macs").asLong(), o.get("macs_ratio").asDouble(), 1e-12);
        assertTrue(o.get("macs_ratio").asDouble() > 1, out);
        assertEquals(2, o.get("batch").asInt());

        String text = run(0, "bench", "infer", "--checkpoint", small.toString(), "--batch", "2", "--threads", "1", "--runs",
                "1", "--warmup", "0")[0];
        assertTrue(text.contains("images/s") && text.contains("input [1, 8, 8]"), text);
        run(2, "bench", "infer", "--compare", base.toString());
    }
}
