package org.rankfold.tools;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** decompose on a run directory: the final checkpoint, accuracy before and after, and the drop warning. */
class DecomposeGuidanceTest {

    @Test
    void aTrainRunIsDecomposedFromItsFinalCheckpointWithAccuracyBeforeAndAfter(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun.Result t = CliRun.run("train", "--model", "fashionnet", "--data", "sample", "--epochs", "1", "--batch", "64",
                "--limit-train", "256", "--limit-test", "100", "--threads", "1", "--quiet", "--out", run.toString());
        assertEquals(0, t.code(), t.err());

        CliRun.Result human = CliRun.run("decompose", run.toString(), "--selector", "ratio:0.1", "--limit-test", "100",
                "--threads", "1", "--max-drop", "0", "--out", dir.resolve("d1").toString());
        assertEquals(0, human.code(), human.err());
        assertTrue(human.err().contains("decomposing " + run.toAbsolutePath().normalize().resolve("checkpoint")
                + " (the run's final checkpoint)"), human.err());
        assertTrue(human.out().contains("test accuracy on "), human.out());
        assertTrue(human.out().contains("% before, "), human.out());

        JsonNode j = CliRun.run("decompose", run.toString(), "--selector", "ratio:0.1", "--limit-test", "100",
                "--threads", "1", "--max-drop", "0", "--out", dir.resolve("d2").toString(), "--json").json();
        assertEquals(run.toAbsolutePath().normalize().resolve("checkpoint").toString(), j.get("checkpoint").asText());
        JsonNode acc = j.get("accuracy");
        double before = acc.get("before").asDouble();
        double after = acc.get("final").asDouble();
        assertTrue(before > 0 && before <= 1 && after >= 0 && after <= 1, acc.toString());
        assertEquals(100 * (before - after), acc.get("drop_points").asDouble(), 1e-9);
        assertEquals(acc.get("drop_points").asDouble() > 0, acc.get("warning").asBoolean());
        assertEquals(human.err().contains("warning: test accuracy fell by"), acc.get("warning").asBoolean(), human.err());

        // A large threshold: no warning; --no-eval: no accuracy and no data read.
        CliRun.Result calm = CliRun.run("decompose", run.toString(), "--limit-test", "100", "--threads", "1", "--max-drop",
                "100", "--out", dir.resolve("d3").toString());
        assertFalse(calm.err().contains("warning"), calm.err());
        JsonNode none = CliRun.run("decompose", run.toString(), "--no-eval", "--out", dir.resolve("d4").toString(), "--json")
                .json();
        assertFalse(none.has("accuracy"), none.toString());
    }

    @Test
    void aFolderThatHoldsNoCheckpointIsOneLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        CliRun.run("decompose", dir.resolve("empty").toString()).badInput("is neither a checkpoint directory");
    }
}
