package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.Npz;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writes, through the CLI, the files that the Python interop checks read (tools/interop/, run by CI when
 * python3-onnx / python3-torch are installed) into target/interop: fashionnet and resnet20, plain and with a
 * FactorizedConv2d, each as onnx, npz and safetensors, with and without --fold-bn, and beside each variant
 * its reference batch and logits (STEM.ref.npz). Every ONNX file is run here in ONNX Runtime against them.
 */
class InteropFilesTest extends SeededTest {
    private static final double ONNX_REL = 1e-4;
    private static final Path DIR = Path.of("target", "interop");

    private record Net(String name, InputShape input, String container, String conv) {
    }

    @Test
    void writeAndCheckInteropFiles() throws IOException, OrtException {
        Files.createDirectories(DIR);
        SplittableRandom rng = random();
        for (Net net : List.of(new Net("fashionnet", new InputShape(1, 12, 12, 10), "", "conv3"),
                new Net("resnet20", new InputShape(3, 16, 16, 10), "layer2.1", "conv2"))) {
            for (boolean factorized : new boolean[] {false, true}) {
                Module model = net.input().createZooModel(net.name(), 5);
                if (factorized) {
                    String name = net.container().isEmpty() ? net.conv() : net.container() + "." + net.conv();
                    Conv2d c = (Conv2d) model.namedModules().get(name);
                    model.replaceModule(name, new FactorizedConv2d(c.inChannels(), c.outChannels(), c.spec(),
                            c.inChannels() / 2, c.outChannels() / 2, false, rng));
                }
                randomizeBatchNorms(model, rng);
                String variant = net.name() + (factorized ? "-factorized" : "");
                Path ck = DIR.resolve(variant + "-checkpoint");
                CheckpointWriter.save(ck, model, net.name(), net.input(), new TrainingState(0, 7, List.of()), null, null, null);
                for (boolean fold : new boolean[] {false, true}) {
                    String stem = variant + (fold ? "-foldbn" : "");
                    for (String format : new String[] {"onnx", "npz", "safetensors"}) {
                        Path out = DIR.resolve(stem + "." + format);
                        StringWriter err = new StringWriter();
                        int code = Main.run(fold
                                ? new String[] {"export", ck.toString(), "--format", format, "--out", out.toString(), "--fold-bn",
                                        "--overwrite", "--reference", DIR.resolve(stem + ".ref.npz").toString()}
                                : new String[] {"export", ck.toString(), "--format", format, "--out", out.toString(),
                                        "--overwrite", "--reference", DIR.resolve(stem + ".ref.npz").toString()},
                                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
                        assertEquals(0, code, err.toString());
                    }
                    Map<String, NpyArray> ref = Npz.read(DIR.resolve(stem + ".ref.npz"));
                    float[] expected = ref.get("logits").asFloats();
                    Arrays2.assertClose(stem + " in ONNX Runtime", expected,
                            onnxRuntime(DIR.resolve(stem + ".onnx"), ref.get("input")), 0, ONNX_REL * Arrays2.maxAbs(expected));
                }
            }
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

    private static void fill(Tensor t, SplittableRandom rng, double low, double high) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextDouble());
        }
    }

    private static float[] onnxRuntime(Path file, NpyArray input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = java.util.Arrays.stream(input.shape()).asLongStream().toArray();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.asFloats()), shape);
             OrtSession.Result out = s.run(Map.of("input", in))) {
            float[][] y = (float[][]) out.get("logits").orElseThrow().getValue();
            float[] flat = new float[y.length * y[0].length];
            for (int i = 0; i < y.length; i++) {
                System.arraycopy(y[i], 0, flat, i * y[0].length, y[0].length);
            }
            return flat;
        }
    }
}
