package org.rankfold.engine.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.testing.Arrays2;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A layer's device form against the CPU engine, for the device tests and the layer contract test: the
 * layer followed by a Flatten (so the compiled model ends in per-image vectors) runs forward and, in
 * training mode, backward on the device and on the CPU with the same random input and output gradient
 * (uniform in [-1, 1)); outputs, input gradients, every parameter gradient and every buffer (BN running
 * statistics) must agree within {@link #REL}, scaled by the largest |expected| of each array: the device
 * sums in other orders (tiled GEMM, work-group reductions) than the CPU backend. Without an OpenCL device
 * the calling test is skipped with the reason.
 */
public final class DeviceParity {
    /** |device - cpu| <= REL * max|cpu| per compared array (float32 sums of up to a few hundred terms). */
    public static final double REL = 2e-5;
    /** Images per checked batch. */
    static final int N = 3;

    private DeviceParity() {
    }

    /** Checks {@code layer} on inputs of per-image shape {@code shape}, with the default convolution chunking. */
    public static void assertMatchesCpu(String what, Module layer, int[] shape, boolean training, SplittableRandom rng) {
        assertMatchesCpu(what, layer, shape, training, ConvLayer.COLUMN_LIMIT, rng);
    }

    /** As above, with the convolutions' chunk bound {@code columnLimit} in floats. */
    static void assertMatchesCpu(String what, Module layer, int[] shape, boolean training, long columnLimit,
                                 SplittableRandom rng) {
        OpenClRuntime rt = TestDevice.runtime();
        Sequential model = new Sequential(layer, new Flatten());
        model.train(training);
        int perImage = Math.toIntExact(DeviceLayer.size(shape));
        float[] x = uniform(rng, N * perImage);
        // the device result first: the CPU pass below updates BN running statistics on the host
        float[] y;
        float[] dx = null;
        float[] dy;
        Map<String, float[]> grads = new LinkedHashMap<>();
        Map<String, float[]> buffers = new LinkedHashMap<>();
        try (ParameterStore store = new ParameterStore(rt.buffers(), model, training);
             DeviceModel dm = new DeviceModel(rt, store, model, shape, N + 1, columnLimit)) {
            DeviceBuffer out = dm.forward(x, N, training);
            int outLen = N * dm.classes();
            y = read(out, outLen);
            dy = uniform(rng, outLen);
            if (training) {
                try (DeviceBuffer dyb = rt.buffers().upload(dy, 0, outLen)) {
                    dx = read(dm.backward(dyb, N, true), N * perImage);
                }
                model.namedParameters().forEach((k, t) -> grads.put(k, read(store.of(t).grad(), t.size())));
            }
            model.namedBuffers().forEach((k, t) -> buffers.put(k, read(store.of(t).value(), t.size())));
        }
        int[] full = new int[shape.length + 1];
        full[0] = N;
        System.arraycopy(shape, 0, full, 1, shape.length);
        Tensor xt = Tensor.fromArray(x, full).requiresGrad(true);
        model.zeroGrad();
        Tensor yt = model.forward(xt);
        assertClose(what + ": output", yt.data(), y);
        if (training) {
            yt.backward(dy);
            assertClose(what + ": input gradient", xt.grad(), dx);
            model.namedParameters().forEach((k, t) -> assertClose(what + ": gradient of " + k, t.grad(), grads.get(k)));
        }
        model.namedBuffers().forEach((k, t) -> assertClose(what + ": buffer " + k, t.data(), buffers.get(k)));
    }

    /**
     * Checks that the device refuses {@code layer} (wrapped as child "layer" of a Sequential) before
     * allocating anything, naming the layer and its type; needs no OpenCL device.
     */
    public static void assertRefused(Module layer) {
        Sequential model = new Sequential().add("layer", layer);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCompiler.check(model));
        assertTrue(e.getMessage().contains("'layer'") && e.getMessage().contains(layer.getClass().getSimpleName())
                && e.getMessage().contains("not supported"), e.getMessage());
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        Arrays2.assertClose(what, expected, actual, 0, REL * Math.max(1e-3, Arrays2.maxAbs(expected)));
    }

    private static float[] uniform(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    static float[] read(DeviceBuffer b, long len) {
        float[] out = new float[Math.toIntExact(len)];
        b.read(0, out, 0, out.length);
        return out;
    }
}
