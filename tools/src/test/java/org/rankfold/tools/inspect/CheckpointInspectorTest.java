package org.rankfold.tools.inspect;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointInspectorTest {

    private static String[] run(int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expected, code, out + "\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void zooCheckpointShowsPerLayerParamsAndMacs(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, InputShape.FASHION_MNIST.createZooModel("fashionnet", 1), "fashionnet", InputShape.FASHION_MNIST,
                TrainingState.initial(), null, null, null);
        String out = run(0, "inspect", ck.toString())[0];
        assertTrue(out.contains("rankfold checkpoint"), out);
        assertTrue(out.contains("467,626 (+ 384 BatchNorm affine)"), out);
        assertTrue(out.contains("18,691,840 per image"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("conv2") && l.contains("32x32x3x3") && l.contains("9216")
                && l.contains("7225344")), out);

        JsonNode j = new ObjectMapper().readTree(run(0, "inspect", ck.toString(), "--json")[0]);
        assertEquals(6, j.get("rows").size());
        assertEquals("fc1", j.get("rows").get(4).get("layer").asText());
    }

    /** H*W*C*R_in + OH*OW*R_in*R_out*k*k + OH*OW*R_out*S for a factorized conv: 8*8*3*5 + 8*8*5*7*9 + 8*8*7*4. */
    @Test
    void factorizedConvolutionIsOneRowWithItsThreeFactors(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential()
                .add("conv", new FactorizedConv2d(3, 4, ConvSpec.square(3, 1, 1, 1), 5, 7, true, new SplittableRandom(1)))
                .add("gap", new GlobalAvgPool()).add("flatten", new Flatten())
                .add("fc", new Linear(4, 2, true, new SplittableRandom(2)));
        InputShape in = new InputShape(3, 8, 8, 2);
        CheckpointWriter.save(dir.resolve("run").resolve("best"), m, "custom", in, TrainingState.initial(), null, null, null);
        String out = run(0, "inspect", dir.resolve("run").toString())[0];
        String row = out.lines().filter(l -> l.startsWith("conv ")).findFirst().orElseThrow();
        assertTrue(row.contains("FactorizedConv2d") && row.contains("a 5x3x1x1, g 7x5x3x3, b 4x7x1x1"), row);
        assertTrue(row.contains(Long.toString(8 * 8 * 3 * 5 + 8 * 8 * 5 * 7 * 9 + 8 * 8 * 7 * 4)), row);
    }

    @Test
    void damagedCheckpointIsExitTwoWithOneLine(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, InputShape.FASHION_MNIST.createZooModel("lenet5", 1), "lenet5", InputShape.FASHION_MNIST,
                TrainingState.initial(), null, null, null);
        byte[] b = Files.readAllBytes(ck.resolve("weights.safetensors"));
        b[b.length - 1] ^= 1;
        Files.write(ck.resolve("weights.safetensors"), b);
        String err = run(2, "inspect", ck.toString())[1];
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("checksum mismatch"), err);
    }
}
