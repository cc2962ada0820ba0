package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.decompose.LayerTimer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --speed-aware} in the pipeline with an injected timer: a conv whose Tucker-2 form is not faster stays
 * dense, its audit record holds both times, and a run resumed after the rank phase applies the recorded
 * decisions without timing again.
 */
class SpeedAwarePipelineTest extends SeededTest {

    /** conv3's Tucker-2 form takes as long as conv3; every other decomposed form is twice as fast. */
    private static final LayerTimer TIMER = (original, decomposed, shape) -> {
        boolean conv3 = decomposed instanceof FactorizedConv2d f && f.fold().weight().dim(0) == 64 && shape[1] == 32;
        return new LayerTimer.Times(1e-3, conv3 ? 1e-3 : 0.5e-3, 5);
    };

    private static CompressionConfig config() {
        return new ConfigBuilder(CompressionConfig.quick("fashionnet", 5)).epochs(1).finetuneEpochs(1).batchSize(32)
                .limitTrain(0).limitTest(0).variants(List.of(Variant.PLAIN)).speedAware(true).build();
    }

    @Test
    void aLayerNotFasterStaysDenseAndAResumeReplaysTheDecision(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        byte[][] afterRanks = new byte[1][];
        ObjectNode s = new CompressionPipeline(config(), CompressionPipelineTest.data(random(), 96, 48), run,
                new PipelineListener() {
                    @Override
                    public void phaseFinished(String phase, JsonNode result) {
                        if (phase.equals("plain/ranks")) {
                            try {
                                afterRanks[0] = Files.readAllBytes(run.progress());
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                }).timer(TIMER).run(false);
        JsonNode conv3 = null;
        JsonNode fc2 = null;
        int timed = 0;
        for (String line : Files.readAllLines(run.audit(), StandardCharsets.UTF_8)) {
            JsonNode rec = new ObjectMapper().readTree(line);
            if (rec.path("layer").asText().equals("fc2")) {
                fc2 = rec;
            }
            if (rec.has("speed")) {
                timed++;
                if (rec.get("layer").asText().equals("conv3")) {
                    conv3 = rec;
                }
            }
        }
        assertEquals(4, timed, "conv2, conv3, conv4, fc1 (fc2, the classifier, stays dense untimed)");
        assertEquals("skipped", fc2.get("decomposition").asText());
        assertTrue(fc2.get("notes").get(0).asText().startsWith("the classifier"), fc2.toString());
        assertTrue(!fc2.has("speed"), fc2.toString());
        assertEquals("skipped", conv3.get("decomposition").asText());
        assertTrue(conv3.get("notes").get(0).asText().startsWith("not measured faster"), conv3.toString());
        assertEquals(1e-3, conv3.at("/speed/decomposed_seconds").asDouble());
        assertEquals(32, conv3.at("/speed/batch").asInt());
        assertEquals(true, new ObjectMapper().readTree(run.config().toFile()).get("speed_aware").asBoolean());
        JsonNode layer = s.get("layers").get(2);
        assertEquals("conv3", layer.get("name").asText());
        assertEquals("skipped", layer.get("decomposition").asText());
        assertEquals(1.0, layer.get("speedup").asDouble());

        // resumed after plain/ranks: the tucker phase applies the recorded plan, a timer call would fail
        Files.write(run.progress(), afterRanks[0]);
        LayerTimer never = (o, d, shape) -> {
            throw new AssertionError("timed again on resume");
        };
        ObjectNode resumed = new CompressionPipeline(config(), CompressionPipelineTest.data(random(), 96, 48), run,
                new PipelineListener() { }).timer(never).run(true);
        assertEquals(s.get("layers").toString(), resumed.get("layers").toString());
        assertEquals(s.at("/compressed/accuracy"), resumed.at("/compressed/accuracy"));
    }
}
