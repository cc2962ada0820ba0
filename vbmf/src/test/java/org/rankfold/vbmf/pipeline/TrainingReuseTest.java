package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.DataSplit;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --reuse-training}: a run trained once (all four variants) is compressed again at a target params ratio
 * from its trained phases, without training; every variant reaches the target and the summary holds the
 * ablation at matched compression.
 */
class TrainingReuseTest extends SeededTest {
    private static final double TARGET = 3;

    private DataSplit data() {
        return CompressionPipelineTest.data(random(), 96, 48);
    }

    private static CompressionConfig trained() {
        return new ConfigBuilder(CompressionConfig.quick("fashionnet", 7)).epochs(1).finetuneEpochs(0).batchSize(32)
                .limitTrain(0).limitTest(0)
                .variants(List.of(Variant.PLAIN, Variant.ORTHO, Variant.OVERPARAM, Variant.FULL)).build();
    }

    /** Records the phases that ran. */
    private static final class Ran implements PipelineListener {
        final List<String> phases = new ArrayList<>();

        @Override
        public void phaseStarted(String phase) {
            phases.add(phase);
        }
    }

    @Test
    void aSecondTargetReusesTheTrainedModelsAndTheVariantsMeetItTogether(@TempDir Path dir) throws IOException {
        RunDirectory source = new RunDirectory(dir.resolve("evbmf"));
        ObjectNode first = new CompressionPipeline(trained(), data(), source, new PipelineListener() { }).run(false);
        assertFalse(first.has("matched"), "no target, no matched block");

        CompressionConfig targeted = new ConfigBuilder(trained()).targetParamsRatio(TARGET).finetuneEpochs(1).build();
        RunDirectory run = new RunDirectory(dir.resolve("x3"));
        Ran ran = new Ran();
        ObjectNode s = new CompressionPipeline(targeted, data(), run, ran).reuseTraining(source.root()).run(false);
        assertFalse(ran.phases.contains("baseline"), ran.phases.toString());
        for (String v : List.of("ortho", "overparam", "full")) {
            assertFalse(ran.phases.contains(v + "/train"), ran.phases.toString());
            assertTrue(ran.phases.contains(v + "/finetune"), ran.phases.toString());
        }
        for (String ck : List.of("baseline", "ortho-train", "overparam-train", "full-train")) {
            Path w = Path.of("checkpoints", ck, "weights.safetensors");
            assertArrayEquals(Files.readAllBytes(source.root().resolve(w)), Files.readAllBytes(run.root().resolve(w)), ck);
        }
        assertEquals(first.get("baseline").toString(), s.get("baseline").toString());
        assertEquals(source.root().toString(), s.get("training_reused_from").asText());
        assertEquals(source.root().toString(), new ObjectMapper().readTree(run.config().toFile()).get("reuse_training").asText());
        List<String> audit = Files.readAllLines(run.audit(), StandardCharsets.UTF_8);
        JsonNode reuse = new ObjectMapper().readTree(audit.getFirst());
        assertEquals("reuse_training", reuse.get("step").asText());
        assertEquals(4, reuse.get("phases").size());
        assertEquals(List.of("baseline", "full/train", "ortho/train", "overparam/train"), Files.readAllLines(run.metrics())
                .stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).filter(p -> p.endsWith("train") || p.equals("baseline"))
                .sorted().toList(), "the reused phases' metrics rows came along");

        // the ablation at matched compression: every variant at the target, within the tolerance
        JsonNode m = s.get("matched");
        assertEquals("params", m.get("measure").asText());
        assertEquals(TARGET, m.get("target").asDouble());
        assertTrue(m.get("all_met").asBoolean(), m.toString());
        assertTrue(m.get("matched").asBoolean(), m.toString());
        assertEquals(4, m.get("variants").size());
        for (String v : List.of("plain", "ortho", "overparam", "full")) {
            double r = s.at("/ablation/" + v + "/params_ratio").asDouble();
            assertTrue(r >= TARGET && r <= TARGET * (1 + SummaryBuilder.MATCH_TOLERANCE), v + ": " + r);
            assertEquals(r, m.at("/variants/" + v + "/ratio").asDouble());
            assertEquals(s.at("/ablation/" + v + "/accuracy").asDouble() - s.at("/ablation/plain/accuracy").asDouble(),
                    m.at("/variants/" + v + "/delta_vs_plain").asDouble(), 1e-12);
        }

        // a resume need not name the source again; other settings are refused, naming the field
        Ran again = new Ran();
        ObjectNode resumed = new CompressionPipeline(targeted, data(), run, again).run(true);
        assertEquals(List.of(), again.phases);
        assertEquals(s.get("matched").toString(), resumed.get("matched").toString());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> new CompressionPipeline(
                new ConfigBuilder(targeted).finetuneLr(0.5).build(), data(), run, again).run(true));
        assertTrue(other.getMessage().contains("finetune_lr (0.01 there, 0.5 now)"), other.getMessage());

        // other training settings are refused, naming the field
        CompressionConfig longer = new ConfigBuilder(targeted).epochs(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CompressionPipeline(longer, data(),
                new RunDirectory(dir.resolve("bad")), ran).reuseTraining(source.root()).run(false));
        assertTrue(e.getMessage().contains("epochs (1 there, 2 here)"), e.getMessage());
    }

    @Test
    void theBudgetMatchedBaselinesFineTuningIsReusedWhenItsSettingsAgree(@TempDir Path dir) throws IOException {
        CompressionConfig withFinetune = new ConfigBuilder(trained()).variants(List.of(Variant.PLAIN)).finetuneEpochs(1).build();
        RunDirectory source = new RunDirectory(dir.resolve("evbmf"));
        new CompressionPipeline(withFinetune, data(), source, new PipelineListener() { }).run(false);
        assertTrue(Files.isDirectory(source.checkpoint("baseline/finetune")), "the source has the budget-matched baseline");

        Ran ran = new Ran();
        RunDirectory run = new RunDirectory(dir.resolve("x3"));
        new CompressionPipeline(new ConfigBuilder(withFinetune).targetParamsRatio(TARGET).build(), data(), run, ran)
                .reuseTraining(source.root()).run(false);
        assertFalse(ran.phases.contains("baseline/finetune"), ran.phases.toString());
        assertTrue(ran.phases.contains("baseline/eval"), ran.phases.toString());
        assertTrue(ran.phases.contains("plain/finetune"), ran.phases.toString());
        Path w = Path.of("checkpoints", "baseline-finetune", "weights.safetensors");
        assertArrayEquals(Files.readAllBytes(source.root().resolve(w)), Files.readAllBytes(run.root().resolve(w)));
        JsonNode reuse = new ObjectMapper().readTree(Files.readAllLines(run.audit(), StandardCharsets.UTF_8).getFirst());
        assertTrue(reuse.get("phases").toString().contains("baseline/finetune"), reuse.toString());
        assertArrayEquals(Files.readAllBytes(source.predictions("baseline/eval")), Files.readAllBytes(run.predictions("baseline/eval")),
                "the reused fine-tuned baseline evaluates to the same predictions");

        // another fine-tuning learning rate: the baseline is fine-tuned again
        Ran other = new Ran();
        new CompressionPipeline(new ConfigBuilder(withFinetune).targetParamsRatio(TARGET).finetuneLr(0.02).build(), data(),
                new RunDirectory(dir.resolve("lr")), other).reuseTraining(source.root()).run(false);
        assertTrue(other.phases.contains("baseline/finetune"), other.phases.toString());
    }
}
