package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the state.json reader ({@link CheckpointReader#parseState}: size cap, UTF-8, JSON constraints,
 * every field typed and ranged): any input either parses or fails with {@link MalformedFileException};
 * what parses is consistent (one history row per finished epoch, a SHA-256 for model.json and the weights,
 * and for the optimizer file when an optimizer type is given). Seeds (a trained run with SGD state, an
 * imported model) and past findings: {@code StateJsonFuzzTestInputs/parse/}. In every build: seeds,
 * findings and {@value #MUTANTS} seeded mutants of each seed; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class StateJsonFuzzTest extends SeededTest {
    static final int MUTANTS = 1500;

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        target(data);
    }

    static void target(byte[] data) {
        CheckpointReader.StateFile s;
        try {
            s = CheckpointReader.parseState(data, Path.of("state.json"));
        } catch (MalformedFileException expected) {
            return;
        }
        assertEquals(s.training().epochsDone(), s.training().history().size());
        assertTrue(s.files().has(CheckpointFiles.MODEL) && s.files().has(CheckpointFiles.WEIGHTS));
        assertTrue(s.optimizerType() == null || s.files().has(CheckpointFiles.OPTIMIZER));
    }

    @Test
    void seededMutantsOfTheSeedsParseOrFailCleanly() {
        List<byte[]> seeds = List.of(JsonMutations.resource(getClass(), "StateJsonFuzzTestInputs/parse/trained-sgd.json"),
                JsonMutations.resource(getClass(), "StateJsonFuzzTestInputs/parse/imported.json"));
        JsonMutations.run(seeds, MUTANTS, random(), StateJsonFuzzTest::target);
    }
}
