package org.rankfold.engine.device;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every device layer's forward and backward against the CPU engine on the same random input and output
 * gradient (uniform in [-1, 1)): outputs, input gradients, every parameter gradient and, for BatchNorm in
 * training mode, the updated running statistics ({@link DeviceParity}, which says how and how closely).
 */
class DeviceLayersTest extends SeededTest {
    private static final int N = DeviceParity.N;

    @Test
    void convolutions() {
        SplittableRandom rng = random();
        check("conv 3x3 pad 1", new Conv2d(3, 4, 3, 1, 1, false, rng), new int[] {3, 6, 6}, true);
        check("conv 3x3 stride 2 bias", new Conv2d(2, 5, 3, 2, 1, true, rng), new int[] {2, 7, 7}, true);
        check("conv dilation 2", new Conv2d(2, 3, ConvSpec.square(3, 1, 2, 2), true, 1, rng), new int[] {2, 7, 6}, true);
        check("conv 1x1", new Conv2d(4, 3, 1, 1, 0, true, rng), new int[] {4, 5, 5}, true);
        check("conv 5x3 asymmetric", new Conv2d(2, 3, new ConvSpec(5, 3, 1, 2, 2, 1, 1, 1), false, 1, rng),
                new int[] {2, 6, 7}, true);
        check("factorized conv", new FactorizedConv2d(3, 5, ConvSpec.square(3, 1, 1, 1), 2, 4, true, rng),
                new int[] {3, 6, 6}, true);
        // one image per chunk: the weight gradient accumulates over chunks (beta = 1 after the first)
        check("conv in chunks of one image", new Conv2d(3, 4, 3, 2, 1, true, rng), new int[] {3, 6, 6}, true, 27 * 9);
    }

    @Test
    void linear() {
        SplittableRandom rng = random();
        check("linear", new Linear(7, 4, true, rng), new int[] {7}, true);
        check("linear without bias", new Linear(5, 6, false, rng), new int[] {5}, true);
    }

    @Test
    void batchNormTrainingAndEvaluation() {
        check("batch norm (training)", new BatchNorm2d(3), new int[] {3, 4, 5}, true);
        BatchNorm2d bn = new BatchNorm2d(4, 0.3, 1e-3);
        SplittableRandom rng = random();
        for (Tensor t : new Tensor[] {bn.gamma(), bn.beta(), bn.runningMean()}) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        for (int i = 0; i < 4; i++) {
            bn.runningVar().data()[i] = (float) (0.5 + rng.nextDouble());
        }
        check("batch norm (training, other momentum)", bn, new int[] {4, 3, 3}, true);
        check("batch norm (evaluation)", bn, new int[] {4, 3, 3}, false);
    }

    @Test
    void activationsAndPooling() {
        check("relu", new ReLU(), new int[] {2, 4, 4}, true);
        check("max pool 2", new MaxPool2d(2, 2, 0), new int[] {2, 6, 6}, true);
        check("max pool 3 stride 2 pad 1", new MaxPool2d(3, 2, 1), new int[] {2, 7, 7}, true);
        check("avg pool counting padding", new AvgPool2d(3, 2, 1, true), new int[] {2, 7, 7}, true);
        check("avg pool not counting padding", new AvgPool2d(3, 2, 1, false), new int[] {2, 7, 7}, true);
        check("global avg pool", new GlobalAvgPool(), new int[] {3, 5, 4}, true);
        check("dropout (evaluation is the identity)", new Dropout(0.5, 3), new int[] {2, 3, 3}, false);
    }

    @Test
    void residualBlocks() {
        SplittableRandom rng = random();
        check("basic block (identity shortcut)", new BasicBlock(4, 4, 1, rng), new int[] {4, 5, 5}, true);
        check("basic block (projection, stride 2)", new BasicBlock(3, 6, 2, rng), new int[] {3, 6, 6}, true);
    }

    @Test
    void dropoutInTrainingKeepsOrZeroesWithOneMask() {
        OpenClRuntime rt = TestDevice.runtime();
        Module model = new Sequential(new Dropout(0.4, 1), new Flatten());
        int[] shape = {2, 4, 4};
        int len = N * 32;
        float[] x = uniform(random(), len);
        float[] dy = uniform(new SplittableRandom(5), len);
        try (ParameterStore store = new ParameterStore(rt.buffers(), model, true);
             DeviceModel dm = new DeviceModel(rt, store, model, shape, N);
             DeviceBuffer dyb = rt.buffers().upload(dy, 0, len)) {
            float[] y = read(dm.forward(x, N, true), len);
            float[] dx = read(dm.backward(dyb, N, true), len);
            int kept = 0;
            for (int i = 0; i < len; i++) {
                if (y[i] == 0f) {
                    assertEquals(0f, dx[i], 0f, "dropped element " + i + " gets no gradient");
                } else {
                    kept++;
                    assertEquals(x[i] / 0.6f, y[i], 1e-6f * Math.abs(y[i]), "kept element " + i + " scaled by 1/(1-p)");
                    assertEquals(dy[i] / 0.6f, dx[i], 1e-6f * Math.abs(dx[i]), "gradient of kept element " + i);
                }
            }
            assertTrue(kept > len / 4 && kept < len, "kept " + kept + " of " + len + " with p = 0.4");
        }
    }

    @Test
    void unsupportedLayerIsNamed() {
        OpenClRuntime rt = TestDevice.runtime();
        SplittableRandom rng = new SplittableRandom(3);
        Module odd = new FoldedBasicBlock(new Conv2d(2, 2, 3, 1, 1, true, rng), new Conv2d(2, 2, 3, 1, 1, true, rng), null);
        Sequential model = new Sequential().add("features", new Sequential(new ReLU(), odd));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpenClComputeDevice(rt).open(model, null));
        assertTrue(e.getMessage().contains("'features.1'") && e.getMessage().contains("not supported"), e.getMessage());
    }

    /** Forward and (in training mode) backward of {@code layer} + Flatten on the device and on the CPU. */
    private void check(String what, Module layer, int[] shape, boolean training) {
        DeviceParity.assertMatchesCpu(what, layer, shape, training, random());
    }

    private void check(String what, Module layer, int[] shape, boolean training, long columnLimit) {
        DeviceParity.assertMatchesCpu(what, layer, shape, training, columnLimit, random());
    }

    static float[] read(DeviceBuffer b, long len) {
        return DeviceParity.read(b, len);
    }
}
