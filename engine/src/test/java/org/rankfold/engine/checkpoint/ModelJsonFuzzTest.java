package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the model.json reader ({@link CheckpointReader#parseModel}: size cap, UTF-8, JSON constraints,
 * {@link ArchitectureBounds}, {@link ModelJson#rebuild}): any input either rebuilds a model or fails with
 * {@link MalformedFileException}; what rebuilds describes itself again as the same architecture (so a
 * re-save loads identically). Seeds (lenet5, fashionnet and resnet20 with a factorized conv) and past
 * findings: {@code ModelJsonFuzzTestInputs/parse/}. In every build: the seeds and findings (Jazzer's
 * regression mode) plus {@value #MUTANTS} seeded mutants of each seed; {@code JAZZER_FUZZ=1} fuzzes for real
 * (docs/hostile-input.md).
 */
class ModelJsonFuzzTest extends SeededTest {
    /** Parameter budget of a fuzzed model: 4M floats (16 MB), the budget of a 16 MB weights file. */
    private static final long MAX_PARAMETERS = 1L << 22;
    static final int MUTANTS = 1500;

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        target(data);
    }

    static void target(byte[] data) {
        Path file = Path.of("model.json");
        CheckpointReader.ModelAndInput m;
        try {
            m = CheckpointReader.parseModel(data, file, MAX_PARAMETERS);
        } catch (MalformedFileException expected) {
            return;
        }
        JsonNode described = CheckpointWriter.modelJson(m.model(), m.name(), m.input());
        CheckpointReader.ModelAndInput again;
        try {
            again = CheckpointReader.parseModel(CheckpointJson.bytes(described), file, MAX_PARAMETERS);
        } catch (MalformedFileException e) {
            throw new AssertionError("a rebuilt model does not load after describing it: " + e.getMessage(), e);
        }
        assertEquals(described, CheckpointWriter.modelJson(again.model(), again.name(), again.input()));
    }

    @Test
    void seededMutantsOfTheSeedsParseOrFailCleanly() {
        List<byte[]> seeds = List.of(JsonMutations.resource(getClass(), "ModelJsonFuzzTestInputs/parse/lenet5.json"),
                JsonMutations.resource(getClass(), "ModelJsonFuzzTestInputs/parse/fashionnet-factorized.json"));
        JsonMutations.run(seeds, MUTANTS, random(), ModelJsonFuzzTest::target);
    }
}
