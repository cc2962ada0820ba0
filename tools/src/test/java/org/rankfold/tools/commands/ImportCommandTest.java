package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.SafetensorsWriter;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `rankfold import`: what `rankfold export` writes (a PyTorch state dict) comes back as the same model, in
 * its decomposed forms too; every way a state dict can fail to match the model is one exit-2 line naming
 * the tensor; nothing is written then. (PyTorch's own files: tools/interop/torch_to_rankfold.py, run by CI.)
 */
class ImportCommandTest extends SeededTest {
    private static final InputShape RESNET_IN = new InputShape(3, 16, 16, 10);

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static void fill(Tensor t, SplittableRandom rng, double low, double high) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextDouble());
        }
    }

    private static void randomizeBatchNorms(Module model, SplittableRandom rng) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                fill(bn.gamma(), rng, 0.5, 1.5);
                fill(bn.beta(), rng, -0.5, 0.5);
                fill(bn.runningMean(), rng, -0.5, 0.5);
                fill(bn.runningVar(), rng, 0.5, 2);
            }
        }
    }

    /** resnet20 with one factorized conv, random BatchNorm statistics, saved as a checkpoint with step 42. */
    private Path resnetCheckpoint(Path dir) throws IOException {
        SplittableRandom rng = random();
        Module model = RESNET_IN.createZooModel("resnet20", 4);
        Conv2d c = (Conv2d) model.namedModules().get("layer2.1.conv2");
        model.replaceModule("layer2.1.conv2", new FactorizedConv2d(c.inChannels(), c.outChannels(), c.spec(), 12, 20, false, rng));
        randomizeBatchNorms(model, rng);
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, model, "resnet20", RESNET_IN, new TrainingState(0, 42, List.of()), null, null, null);
        return ck;
    }

    @Test
    void exportedStateDictsImportBackToTheSameModel(@TempDir Path dir) throws IOException {
        Path ck = resnetCheckpoint(dir);
        for (String format : new String[] {"safetensors", "npz"}) {
            Path file = dir.resolve("w." + format);
            Path ref = dir.resolve("w-" + format + ".ref.npz");
            Result e = run("export", ck.toString(), "--format", format, "--out", file.toString(), "--reference", ref.toString());
            assertEquals(0, e.code(), e.err());
            Path back = dir.resolve("back-" + format);
            Result i = run("import", "--model", "resnet20", "--size", "16", file.toString(), "--out", back.toString(),
                    "--reference", ref.toString(), "--json");
            assertEquals(0, i.code(), i.err());
            assertTrue(i.out().contains("\"max_abs_diff\":0.0"), "same engine, same weights, same logits: " + i.out());
            assertTrue(i.out().contains("\"batches_tracked\":42"), i.out());

            Checkpoint original = CheckpointReader.load(ck);
            Checkpoint imported = CheckpointReader.load(back);
            assertEquals(RESNET_IN, imported.input());
            assertEquals(42, imported.training().step());
            assertTrue(imported.model().namedModules().get("layer2.1.conv2") instanceof FactorizedConv2d f && f.rankIn() == 12
                    && f.rankOut() == 20);
            Map<String, NpyArray> a = Weights.stateDict(original.model(), 42);
            Map<String, NpyArray> b = Weights.stateDict(imported.model(), 42);
            assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()));
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k).toLittleEndianBytes(), b.get(k).toLittleEndianBytes(), k);
            }
        }
        // Round trip of the files themselves: exporting the imported checkpoint gives the same bytes.
        Path again = dir.resolve("again.safetensors");
        assertEquals(0, run("export", dir.resolve("back-safetensors").toString(), "--format", "safetensors", "--out",
                again.toString()).code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("w.safetensors")), Files.readAllBytes(again));
    }

    @Test
    void twoFactorLinearLayersAndConvBiasesAreRebuilt(@TempDir Path dir) throws IOException {
        SplittableRandom rng = random();
        InputShape in = new InputShape(1, 12, 12, 10);
        Module model = in.createZooModel("fashionnet", 2);
        Linear fc1 = (Linear) model.namedModules().get("fc1");
        model.replaceModule("fc1", new Sequential(new Linear(fc1.weight().dim(1), 7, false, rng), new Linear(7, 128, true, rng)));
        model.replaceModule("conv2", new Conv2d(32, 32, 3, 1, 1, true, rng));
        randomizeBatchNorms(model, rng);
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, Weights.stateDict(model, 3), Map.of());
        Path back = dir.resolve("back");
        Result r = run("import", "--model", "fashionnet", "--size", "12", file.toString(), "--out", back.toString());
        assertEquals(0, r.code(), r.err());
        Module imported = CheckpointReader.load(back).model();
        assertTrue(imported.namedModules().get("fc1") instanceof Sequential);
        assertTrue(((Conv2d) imported.namedModules().get("conv2")).bias() != null);
        Map<String, NpyArray> a = Weights.stateDict(model, 3);
        Map<String, NpyArray> b = Weights.stateDict(imported, 3);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toLittleEndianBytes(), b.get(k).toLittleEndianBytes(), k);
        }
    }

    /** The state dict of a fresh resnet20 for RESNET_IN, changed by {@code edit}, imported from {@code format}. */
    private Result importEdited(Path dir, String format, Consumer<Map<String, NpyArray>> edit) throws IOException {
        Map<String, NpyArray> sd = new LinkedHashMap<>(Weights.stateDict(RESNET_IN.createZooModel("resnet20", 1), 5));
        edit.accept(sd);
        Path file = dir.resolve("edited." + format);
        if (format.equals("npz")) {
            Npz.write(file, sd);
        } else {
            SafetensorsWriter.write(file, sd, Map.of());
        }
        Path out = dir.resolve("out-" + format);
        Result r = run("import", "--model", "resnet20", "--size", "16", file.toString(), "--out", out.toString());
        if (r.code() != 0) {
            assertFalse(Files.exists(out), "nothing is written when the import fails");
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(file.toString()), r.err());
        }
        return r;
    }

    private static NpyArray floats(int[] shape, float value) {
        float[] v = new float[(int) NpyArray.elementCount(shape)];
        java.util.Arrays.fill(v, value);
        return NpyArray.ofFloats(shape, v);
    }

    @Test
    void everyMismatchIsOneLineNamingTheTensors(@TempDir Path dir) throws IOException {
        for (String format : new String[] {"safetensors", "npz"}) {
            Result r = importEdited(dir, format, sd -> sd.remove("layer3.2.bn2.running_var"));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("1 missing ('layer3.2.bn2.running_var')"), r.err());

            r = importEdited(dir, format, sd -> sd.put("layer4.0.conv1.weight", floats(new int[] {2, 2}, 0)));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("1 unexpected ('layer4.0.conv1.weight')"), r.err());

            r = importEdited(dir, format, sd -> sd.put("layer1.0.conv1.weight", floats(new int[] {16, 8, 3, 3}, 0.1f)));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("'layer1.0.conv1.weight' has shape [16, 8, 3, 3] in the file, [16, 16, 3, 3] in the model"),
                    r.err());

            r = importEdited(dir, format, sd -> sd.put("bn1.weight", NpyArray.ofDoubles(new int[] {16}, new double[16])));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("'bn1.weight' is FLOAT64, expected FLOAT32"), r.err());

            r = importEdited(dir, format, sd -> {
                float[] w = sd.get("fc.weight").asFloats();
                w[17] = Float.NaN;
                sd.put("fc.weight", NpyArray.ofFloats(new int[] {10, 64}, w));
            });
            assertEquals(2, r.code());
            assertTrue(r.err().contains("'fc.weight' holds a non-finite value (NaN) at flat index 17"), r.err());

            r = importEdited(dir, format, sd -> sd.put("bn1.num_batches_tracked", floats(new int[0], 5)));
            assertEquals(2, r.code());
            assertTrue(r.err().contains("'bn1.num_batches_tracked' must be a non-negative INT64 scalar"), r.err());

            r = importEdited(dir, format, sd -> sd.put("layer2.0.conv1.g.weight", floats(new int[] {4, 4, 3, 3}, 0)));
            assertEquals(2, r.code(), "a factorized form beside the plain weight is an unexpected key");
            assertTrue(r.err().contains("unexpected ('layer2.0.conv1.g.weight')"), r.err());

            r = importEdited(dir, format, sd -> {
                NpyArray w = sd.remove("layer2.0.conv1.weight");
                sd.put("layer2.0.conv1.a.weight", floats(new int[] {8, w.dim(1), 1, 1}, 0));
                sd.put("layer2.0.conv1.g.weight", floats(new int[] {200, 9, 3, 3}, 0));
                sd.put("layer2.0.conv1.b.weight", floats(new int[] {w.dim(0), 200, 1, 1}, 0));
            });
            assertEquals(2, r.code(), "factors that do not chain are refused before anything is allocated");
            assertTrue(r.err().contains("factorized conv 'layer2.0.conv1'"), r.err());

            assertEquals(0, importEdited(dir, format, sd -> { }).code());
        }
    }

    @Test
    void channelsAndClassesComeFromTheFileAndTheReferenceMustAgree(@TempDir Path dir) throws IOException {
        Path ck = resnetCheckpoint(dir);
        Path file = dir.resolve("w.npz");
        Path ref = dir.resolve("w.ref.npz");
        assertEquals(0, run("export", ck.toString(), "--format", "npz", "--out", file.toString(), "--reference", ref.toString()).code());
        Map<String, NpyArray> r = new LinkedHashMap<>(Npz.read(ref));
        float[] logits = r.get("logits").asFloats();
        logits[3] += 1;
        r.put("logits", NpyArray.ofFloats(r.get("logits").shape(), logits));
        Path bad = dir.resolve("bad.ref.npz");
        Npz.write(bad, r);
        Result res = run("import", "--model", "resnet20", "--size", "16", file.toString(), "--out", dir.resolve("x").toString(),
                "--reference", bad.toString());
        assertEquals(2, res.code());
        assertTrue(res.err().contains("logits differ from " + bad), res.err());
        assertFalse(Files.exists(dir.resolve("x")));

        res = run("import", "--model", "resnet20", "--size", "32", file.toString(), "--out", dir.resolve("y").toString(),
                "--reference", ref.toString());
        assertEquals(2, res.code(), "the reference batch is 16x16, the model was asked for 32x32");
        assertTrue(res.err().contains("'input' (N, 3, 32, 32)"), res.err());
    }
}
