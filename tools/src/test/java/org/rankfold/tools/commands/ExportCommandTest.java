package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.datasets.safetensors.Safetensors;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportCommandTest extends SeededTest {
    /** ONNX Runtime against our logits: 1e-4 of the largest logit. */
    private static final double ONNX_REL = 1e-4;
    private static final InputShape SMALL = new InputShape(1, 12, 12, 10);

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A fashionnet checkpoint with random BN statistics (so folding matters), 12x12 inputs. */
    private Path checkpoint(Path dir) throws IOException {
        Module model = SMALL.createZooModel("fashionnet", 3);
        SplittableRandom rng = random();
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                for (Tensor t : new Tensor[] {bn.gamma(), bn.runningVar()}) {
                    float[] d = t.data();
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (float) (0.5 + rng.nextDouble());
                    }
                }
                float[] mean = bn.runningMean().data();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = (float) (rng.nextDouble() - 0.5);
                }
            }
        }
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, model, "fashionnet", SMALL, new TrainingState(0, 42, java.util.List.of()), null, null, null);
        return ck;
    }

    private static float[] ours(Module model, float[] x, int n) {
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return model.forward(Tensor.fromArray(x.clone(), n, 1, 12, 12)).data().clone();
        }
    }

    @Test
    void onnxWithFoldedBatchNormRunsInOnnxRuntimeAndMatchesTheReference(@TempDir Path dir) throws Exception {
        Path ck = checkpoint(dir);
        Path onnx = dir.resolve("m.onnx");
        Path ref = dir.resolve("ref.npz");
        Result r = run("export", ck.toString(), "--format", "onnx", "--out", onnx.toString(), "--fold-bn", "--reference", ref.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BatchNorm folded") && r.out().contains("as onnx"), r.out());
        Map<String, NpyArray> reference = Npz.read(ref);
        assertArrayEquals(new int[] {4, 1, 12, 12}, reference.get("input").shape());
        float[] x = reference.get("input").asFloats();
        Module original = SMALL.createZooModel("fashionnet", 3);
        Weights.load(original, Safetensors.read(ck.resolve("weights.safetensors")).tensors(), ck);
        float[] expected = ours(original, x, 4);
        Arrays2.assertClose("reference logits are the unfolded model's", expected, reference.get("logits").asFloats(), 0,
                1e-5 * Arrays2.maxAbs(expected));
        Arrays2.assertClose("ONNX Runtime logits", expected, onnxRuntime(onnx, x), 0, ONNX_REL * Arrays2.maxAbs(expected));
    }

    private static float[] onnxRuntime(Path file, float[] x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {4, 1, 12, 12});
             OrtSession.Result out = s.run(Map.of("input", in))) {
            float[][] y = (float[][]) out.get("logits").orElseThrow().getValue();
            float[] flat = new float[4 * 10];
            for (int i = 0; i < 4; i++) {
                System.arraycopy(y[i], 0, flat, i * 10, 10);
            }
            return flat;
        }
    }

    @Test
    void safetensorsAndNpzHoldThePyTorchStateDict(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        Path st = dir.resolve("w.safetensors");
        Path npz = dir.resolve("w.npz");
        assertEquals(0, run("export", ck.toString(), "--format", "safetensors", "--out", st.toString()).code());
        Result r = run("export", ck.toString(), "--format", "npz", "--out", npz.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"format\":\"npz\"") && r.out().contains("\"fold_bn\":false"), r.out());
        Safetensors.Contents contents = Safetensors.read(st);
        assertEquals("pt", contents.header().metadata().get("format"));
        for (Map<String, NpyArray> tensors : java.util.List.of(contents.tensors(), Npz.read(npz))) {
            assertArrayEquals(new int[] {32, 1, 3, 3}, tensors.get("conv1.weight").shape());
            assertArrayEquals(new int[] {32}, tensors.get("bn1.running_mean").shape());
            assertEquals(NpyDtype.INT64, tensors.get("bn1.num_batches_tracked").dtype());
            assertEquals(42, tensors.get("bn1.num_batches_tracked").scalarLong());
            assertArrayEquals(new int[] {10, 128}, tensors.get("fc2.weight").shape());
            Module back = SMALL.createZooModel("fashionnet", 99);
            Weights.load(back, tensors, st);
            Module original = SMALL.createZooModel("fashionnet", 3);
            Weights.load(original, Safetensors.read(ck.resolve("weights.safetensors")).tensors(), ck);
            float[] x = uniform(random(), 2 * 144);
            assertArrayEquals(ours(original, x, 2), ours(back, x, 2), "the exported weights reload bit for bit");
        }
        Path folded = dir.resolve("f.npz");
        assertEquals(0, run("export", ck.toString(), "--format", "npz", "--out", folded.toString(), "--fold-bn").code());
        Map<String, NpyArray> f = Npz.read(folded);
        assertTrue(f.containsKey("conv1.bias") && !f.containsKey("bn1.weight"), f.keySet().toString());
    }

    @Test
    void malformedCheckpointsAndBadOptionsAreExitTwoWithOneLine(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        byte[] w = Files.readAllBytes(ck.resolve("weights.safetensors"));
        w[w.length - 1] ^= 1;
        Files.write(ck.resolve("weights.safetensors"), w);
        Path out = dir.resolve("m.onnx");
        Result r = run("export", ck.toString(), "--format", "onnx", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("checksum mismatch"), r.err());
        assertTrue(Files.notExists(out), "nothing written");
        Result missing = run("export", dir.resolve("nope").toString(), "--format", "npz", "--out", out.toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        Result badDir = run("export", ck.toString(), "--format", "npz", "--out", dir.resolve("no/such/dir/x.npz").toString());
        assertEquals(2, badDir.code());
        assertTrue(badDir.err().contains("does not exist"), badDir.err());
        Result badFormat = run("export", ck.toString(), "--format", "tflite", "--out", out.toString());
        assertEquals(2, badFormat.code(), badFormat.err());
    }
}
