package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.optim.Adam;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Synthetic;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest extends SeededTest {
    private static final InputShape TINY = new InputShape(1, Synthetic.SIZE, Synthetic.SIZE, Synthetic.CLASSES);

    private static TrainingState twoEpochs() {
        return new TrainingState(2, 17, List.of(new EpochResult(1, 1.5, 0.4, 1.2, 0.5, 0.1, 3.0),
                new EpochResult(2, 0.9, 0.7, Double.NaN, Double.NaN, 0.05, 2.5)));
    }

    /** Gives every parameter and buffer distinct random values, so a loader that skips one is caught. */
    private void randomize(Module m) {
        var rng = random();
        m.namedParameters().values().forEach(t -> Tensor.fillNormal(rng, t.data(), 0, 1));
        m.namedBuffers().values().forEach(t -> Tensor.fillNormal(rng, t.data(), 1, 0.1));
    }

    private static void assertSameState(Module a, Module b) {
        assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
        a.namedParameters().forEach((k, v) -> assertArrayEquals(v.data(), b.namedParameters().get(k).data(), k));
        a.namedBuffers().forEach((k, v) -> assertArrayEquals(v.data(), b.namedBuffers().get(k).data(), k));
    }

    @Test
    void roundTripOfAFactorizedModelWithSgdState(@TempDir Path dir) throws IOException {
        Sequential model = Synthetic.model(SEED);
        randomize(model);
        Sgd sgd = Sgd.momentum(model.parameters(), 0.1, 0.9, 0);
        model.parameters().forEach(p -> {
            float[] g = p.gradForAccumulation();
            g[0] = 1f;
        });
        sgd.step();
        ObjectNode config = CheckpointJson.object().put("model", "tiny").put("lr", 0.1);
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, model, "tiny", TINY, twoEpochs(), sgd, null, config);

        Checkpoint c = CheckpointReader.load(ck);
        assertSameState(model, c.model());
        assertEquals("tiny", c.modelName());
        assertEquals(TINY, c.input());
        assertEquals(twoEpochs().history().size(), c.training().history().size());
        assertEquals(17, c.training().step());
        assertEquals(0.5, c.training().history().get(0).testAccuracy());
        assertTrue(Double.isNaN(c.training().history().get(1).testAccuracy()));
        assertEquals("sgd", c.optimizerType());
        assertEquals(0.1, c.config().get("lr").doubleValue());
        assertTrue(c.model().toString().contains("FactorizedConv2d"));

        Sgd fresh = Sgd.momentum(c.model().parameters(), 0.1, 0.9, 0);
        OptimizerState.restore(fresh, c.model(), c.optimizerType(), c.optimizerTensors(), ck);
        model.namedParameters().forEach((k, p) -> assertArrayEquals(sgd.momentumBuffer(p),
                fresh.momentumBuffer(c.model().namedParameters().get(k)), k));

        // PyTorch state_dict conventions, and every dtype the format uses (F32 weights, I64 counters).
        Map<String, NpyArray> w = Safetensors.read(ck.resolve("weights.safetensors")).tensors();
        assertEquals(NpyDtype.FLOAT32, w.get("conv2.a.weight").dtype());
        assertArrayEquals(new int[] {5, 3, 3, 3}, w.get("conv2.g.weight").shape());
        assertEquals(NpyDtype.INT64, w.get("bn2.num_batches_tracked").dtype());
        assertEquals(17, w.get("bn2.num_batches_tracked").scalarLong());
        assertEquals(0, w.get("bn2.num_batches_tracked").rank());
        assertTrue(w.containsKey("bn1.running_var"));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
    }

    @Test
    void roundTripOfEveryZooModelAndAdamState(@TempDir Path dir) throws IOException {
        for (String name : ModelZoo.names()) {
            if (name.startsWith("vgg") || name.equals("resnet56")) {
                continue; // large; same layer types as lenet5/fashionnet/resnet32
            }
            Module m = InputShape.FASHION_MNIST.createZooModel(name, 5);
            randomize(m);
            Adam adam = Adam.withDefaults(m.parameters(), 1e-3);
            m.parameters().forEach(p -> p.gradForAccumulation()[0] = 0.5f);
            adam.step();
            adam.step();
            CheckpointWriter.save(dir.resolve(name), m, name, InputShape.FASHION_MNIST, TrainingState.initial(), adam, null, null);
            Checkpoint c = CheckpointReader.load(dir.resolve(name));
            assertSameState(m, c.model());
            Adam back = Adam.withDefaults(c.model().parameters(), 1e-3);
            OptimizerState.restore(back, c.model(), "adam", c.optimizerTensors(), dir);
            assertEquals(2, back.steps(), name);
            m.namedParameters().forEach((k, p) -> assertArrayEquals(adam.moments(p)[1],
                    back.moments(c.model().namedParameters().get(k))[1], name + " " + k));
        }
    }

    @Test
    void vggArchitectureRoundTripsWithoutWeights(@TempDir Path dir) throws IOException {
        Module m = InputShape.CIFAR10.createZooModel("vgg11", 1);
        CheckpointWriter.save(dir.resolve("v"), m, "vgg11", InputShape.CIFAR10, TrainingState.initial(), null, null, null);
        Checkpoint c = CheckpointReader.load(dir.resolve("v"));
        assertSameState(m, c.model());
        assertNull(c.optimizerType());
        assertTrue(Files.notExists(dir.resolve("v").resolve("optimizer.safetensors")));
    }

    @Test
    void savingAgainReplacesTheCheckpoint(@TempDir Path dir) throws IOException {
        Sequential model = Synthetic.model(SEED);
        Path ck = dir.resolve("last");
        CheckpointWriter.save(ck, model, "tiny", TINY, TrainingState.initial(), null, null, null);
        randomize(model);
        CheckpointWriter.save(ck, model, "tiny", TINY, twoEpochs(), null, null, null);
        assertSameState(model, CheckpointReader.load(ck).model());
        assertEquals(List.of("last"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aSaveInterruptedBetweenItsRenamesLeavesTheOldCheckpointReadable(@TempDir Path dir) throws IOException {
        Sequential model = Synthetic.model(SEED);
        Path ck = dir.resolve("last");
        CheckpointWriter.save(ck, model, "tiny", TINY, TrainingState.initial(), null, null, null);
        Files.move(ck, dir.resolve(".last.old-abc")); // the state right after the first rename
        assertEquals(dir.resolve(".last.old-abc"), CheckpointReader.resolve(ck));
        assertSameState(model, CheckpointReader.load(ck).model());
    }

    @Test
    void theNextSaveRemovesWhatKilledSavesLeft(@TempDir Path dir) throws IOException {
        Sequential model = Synthetic.model(SEED);
        Path ck = dir.resolve("last");
        CheckpointWriter.save(ck, model, "tiny", TINY, TrainingState.initial(), null, null, null);
        Files.createDirectories(dir.resolve(".last.tmp-123").resolve("inner"));
        Files.createDirectories(dir.resolve(".last.old-456"));
        Files.createDirectories(dir.resolve(".other.old-789"));
        CheckpointWriter.save(ck, model, "tiny", TINY, TrainingState.initial(), null, null, null);
        assertEquals(List.of(".other.old-789", "last"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
    }

    private Path saved(Path dir) throws IOException {
        Sequential model = Synthetic.model(SEED);
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, model, "tiny", TINY, twoEpochs(), Sgd.momentum(model.parameters(), 0.1, 0.9, 0), null, null);
        return ck;
    }

    @Test
    void aFlippedByteIsAChecksumMismatchNamingTheFile(@TempDir Path dir) throws IOException {
        Path ck = saved(dir);
        Path w = ck.resolve("weights.safetensors");
        byte[] b = Files.readAllBytes(w);
        b[b.length - 3] ^= 0x10;
        Files.write(w, b);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck));
        assertEquals(w.toString(), e.file());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    /** A truncated weights file whose checksum was updated to match still fails, in the safetensors parser. */
    @Test
    void aTruncatedWeightsFileIsRejectedEvenWithAMatchingChecksum(@TempDir Path dir) throws IOException {
        Path ck = saved(dir);
        Path w = ck.resolve("weights.safetensors");
        byte[] b = Files.readAllBytes(w);
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 100);
        Files.write(w, cut);
        rewriteChecksum(ck, "weights.safetensors", b, cut);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck));
        assertEquals(w.toString(), e.file());
        assertFalse(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aModelJsonWithABadFieldNamesTheField(@TempDir Path dir) throws IOException {
        Path ck = saved(dir);
        Path m = ck.resolve("model.json");
        byte[] before = Files.readAllBytes(m);
        String s = new String(before, StandardCharsets.UTF_8).replaceFirst("\"rank_in\" : 3", "\"rank_in\" : -3");
        byte[] after = s.getBytes(StandardCharsets.UTF_8);
        assertNotEquals(new String(before, StandardCharsets.UTF_8), s);
        Files.write(m, after);
        rewriteChecksum(ck, "model.json", before, after);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck));
        assertEquals(m.toString(), e.file());
        assertTrue(e.getMessage().contains("conv2.") && e.getMessage().contains("rank_in"), e.getMessage());
    }

    @Test
    void duplicateKeysAndMissingFilesAreRejected(@TempDir Path dir) throws IOException {
        Path ck = saved(dir);
        Path state = ck.resolve("state.json");
        String s = Files.readString(state).replaceFirst("\"step\" : 17", "\"step\" : 17, \"step\" : 18");
        Files.writeString(state, s);
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CheckpointReader.load(ck));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
        Path ck2 = saved(dir.resolve("b"));
        Files.delete(ck2.resolve("optimizer.safetensors"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> CheckpointReader.load(ck2));
    }

    private static void rewriteChecksum(Path ck, String file, byte[] before, byte[] after) throws IOException {
        Path state = ck.resolve("state.json");
        String s = Files.readString(state).replace(Sha256.hex(before), Sha256.hex(after));
        Files.writeString(state, s);
    }
}
