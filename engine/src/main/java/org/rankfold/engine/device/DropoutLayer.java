package org.rankfold.engine.device;

import java.util.SplittableRandom;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * Inverted dropout on the device (as the engine's {@code DropoutOp}): in training each element is kept with
 * probability 1 - p and scaled by 1/(1 - p), the mask drawn on the host from this layer's own seeded
 * generator and uploaded (n*size floats per step); the same mask scales the gradient. Identity in
 * evaluation. The masks are not the host layer's (its generator is private to it): runs are reproducible
 * on the device, but not mask-for-mask equal to CPU runs.
 */
final class DropoutLayer extends DeviceLayer {
    private final double p;
    private final SplittableRandom rng;
    private final float[] hostMask;
    private DeviceBuffer mask;
    private DeviceBuffer y;
    private DeviceBuffer dx;
    private boolean masked;

    DropoutLayer(OpenClRuntime rt, String name, int[] in, double p, long seed, int capacity) {
        super(rt, name, in, in, capacity);
        this.p = p;
        this.rng = new SplittableRandom(seed);
        this.hostMask = new float[Math.toIntExact(capacity * inSize())];
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        masked = training && p > 0;
        if (!masked) {
            return x;
        }
        if (mask == null) {
            mask = allocate(capacity * inSize());
            y = allocate(capacity * inSize());
        }
        int len = Math.toIntExact(n * inSize());
        float keepScale = (float) (1.0 / (1.0 - p));
        for (int i = 0; i < len; i++) {
            hostMask[i] = rng.nextDouble() >= p ? keepScale : 0f;
        }
        mask.write(0, hostMask, 0, len);
        rt.training().mul(len, x, mask, y);
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        if (!masked) {
            return dy;
        }
        if (dx == null) {
            dx = allocate(capacity * inSize());
        }
        rt.training().mul(n * inSize(), dy, mask, dx);
        return dx;
    }
}
