package org.rankfold.engine.export;

import java.util.SplittableRandom;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exported zoo model (original, with a FactorizedConv2d in place of a conv, each with and without
 * folded BN) runs in ONNX Runtime and gives our logits on the same random batch within
 * {@link ExportFixtures#ONNX_REL}; the batch dimension is dynamic.
 */
class OnnxExporterTest extends SeededTest {
    private static final OrtEnvironment ENV = OnnxRuntimeRun.ENV;

    private static OrtSession session(byte[] onnx) throws OrtException {
        return OnnxRuntimeRun.session(onnx);
    }

    private static float[] runtimeLogits(OrtSession session, float[] x, long... shape) throws OrtException {
        return OnnxRuntimeRun.logits(session, x, shape);
    }

    private static float[] runtimeLogits(byte[] onnx, float[] x, long... shape) throws OrtException {
        return OnnxRuntimeRun.logits(onnx, x, shape);
    }

    private void check(ExportFixtures.Case c, boolean factorized, boolean foldBn, int[] batches) throws OrtException {
        SplittableRandom rng = random();
        Module model = c.create();
        if (factorized) {
            ExportFixtures.factorize(model, c, rng);
        }
        ExportFixtures.randomizeBatchNorms(model, rng);
        Module exported = foldBn ? BatchNormFolding.fold(model) : model;
        byte[] onnx = OnnxExporter.toBytes(exported, c.channels(), c.size(), c.size());
        String what = c + (factorized ? " factorized" : "") + (foldBn ? " fold-bn" : "");
        try (OrtSession session = session(onnx)) {
            for (int n : batches) {
                float[] x = ExportFixtures.batch(rng, n, c);
                ExportFixtures.assertCloseToScale(what + " batch " + n, ExportFixtures.logits(model, x, n, c),
                        runtimeLogits(session, x, n, c.channels(), c.size(), c.size()), ExportFixtures.ONNX_REL);
            }
        }
    }

    /** Every variant at batch sizes 3 and 1 (the batch dimension is dynamic). */
    private void allVariants(ExportFixtures.Case c) throws OrtException {
        allVariants(c, new int[] {3, 1});
    }

    private void allVariants(ExportFixtures.Case c, int[] batches) throws OrtException {
        for (boolean factorized : new boolean[] {false, true}) {
            for (boolean fold : new boolean[] {false, true}) {
                check(c, factorized, fold, batches);
            }
        }
    }

    @Test
    void fashionNet() throws OrtException {
        allVariants(ExportFixtures.FASHIONNET);
    }

    @Test
    void leNet5() throws OrtException {
        allVariants(ExportFixtures.LENET5);
    }

    @Test
    void vgg11() throws OrtException {
        // ~150 M MACs per image: one batch of 2 per variant keeps the test short on a loaded machine.
        allVariants(ExportFixtures.VGG11, new int[] {2});
    }

    @Test
    void resNet20() throws OrtException {
        allVariants(ExportFixtures.RESNET20);
    }

    /** The rest of the zoo: same layer types, deeper graphs; one batch of 1 per variant keeps it short. */
    @Test
    void vgg16ResNet32AndResNet56() throws OrtException {
        allVariants(ExportFixtures.VGG16, new int[] {1});
        allVariants(ExportFixtures.RESNET32, new int[] {1});
        allVariants(ExportFixtures.RESNET56, new int[] {1});
    }

    @Test
    void graphInterface() throws OrtException {
        Module model = ExportFixtures.FASHIONNET.create();
        try (OrtSession session = ENV.createSession(OnnxExporter.toBytes(model, 1, 12, 12), new OrtSession.SessionOptions())) {
            NodeInfo in = session.getInputInfo().get(OnnxExporter.INPUT);
            assertArrayEquals(new long[] {-1, 1, 12, 12}, ((TensorInfo) in.getInfo()).getShape(), "dynamic batch, fixed C, H, W");
            NodeInfo out = session.getOutputInfo().get(OnnxExporter.OUTPUT);
            assertArrayEquals(new long[] {-1, 10}, ((TensorInfo) out.getInfo()).getShape());
            assertEquals(1, session.getInputInfo().size(), "weights are initializers, not graph inputs");
        }
        assertTrue(model.isTraining(), "exporting leaves the model's mode alone");
    }

    @Test
    void paddedAverageDilatedStridedAndBiasFreeLayers() throws OrtException {
        SplittableRandom rng = random();
        ExportFixtures.Case shape = new ExportFixtures.Case("custom", 2, 9, "", "");
        for (boolean countPad : new boolean[] {true, false}) {
            Module model = new Sequential()
                    .add("conv", new Conv2d(2, 4, new ConvSpec(3, 2, 2, 1, 2, 1, 2, 1), true, 1, rng))
                    .add("pool", new AvgPool2d(3, 2, 1, countPad))
                    .add("drop", new Dropout(0.5, 1))
                    .add("flatten", new Flatten())
                    .add("fc", Linear.of(org.rankfold.engine.tensor.Tensor.randn(rng, 5, 4 * 3 * 5), null));
            byte[] onnx = OnnxExporter.toBytes(model, 2, 9, 9);
            float[] x = ExportFixtures.batch(rng, 2, shape);
            ExportFixtures.assertCloseToScale("count_include_pad " + countPad, ExportFixtures.logits(model, x, 2, shape),
                    runtimeLogits(onnx, x, 2, 2, 9, 9), ExportFixtures.ONNX_REL);
        }
    }

    @Test
    void exportIsDeterministic() {
        Module a = ExportFixtures.RESNET20.create();
        Module b = ExportFixtures.RESNET20.create();
        assertArrayEquals(OnnxExporter.toBytes(a, 3, 16, 16), OnnxExporter.toBytes(b, 3, 16, 16), "same model, same bytes");
        assertArrayEquals(OnnxExporter.toBytes(BatchNormFolding.fold(a), 3, 16, 16),
                OnnxExporter.toBytes(BatchNormFolding.fold(b), 3, 16, 16));
    }
}
