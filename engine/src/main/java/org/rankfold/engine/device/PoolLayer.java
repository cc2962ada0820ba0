package org.rankfold.engine.device;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * Max or average pooling on the device ({@code ClPooling}, PyTorch semantics), over the n*C planes of
 * x (n, C, H, W). Global average pooling is average pooling with an H x W window. Max pooling keeps the
 * argmax of each output for backward; backward zeroes dx, then the pooling kernels add into it.
 */
final class PoolLayer extends DeviceLayer {
    private final ConvSpec spec;
    private final boolean max;
    private final boolean countIncludePad;
    private final DeviceBuffer y;
    private final DeviceBuffer argmax;
    private DeviceBuffer dx;

    private PoolLayer(OpenClRuntime rt, String name, int[] in, ConvSpec spec, boolean max, boolean countIncludePad,
                      int capacity) {
        super(rt, name, in, outShape(name, in, spec), capacity);
        this.spec = spec;
        this.max = max;
        this.countIncludePad = countIncludePad;
        this.y = allocate(capacity * outSize());
        this.argmax = max ? allocate(capacity * outSize()) : null;
    }

    static PoolLayer max(OpenClRuntime rt, String name, int[] in, ConvSpec spec, int capacity) {
        return new PoolLayer(rt, name, in, spec, true, false, capacity);
    }

    static PoolLayer average(OpenClRuntime rt, String name, int[] in, ConvSpec spec, boolean countIncludePad, int capacity) {
        return new PoolLayer(rt, name, in, spec, false, countIncludePad, capacity);
    }

    /** The whole plane averaged: (C, H, W) -> (C, 1, 1). */
    static PoolLayer global(OpenClRuntime rt, String name, int[] in, int capacity) {
        requireRank(name, "GlobalAvgPool", in, 3);
        return new PoolLayer(rt, name, in, new ConvSpec(in[1], in[2], 1, 1, 0, 0, 1, 1), false, true, capacity);
    }

    private static int[] outShape(String name, int[] in, ConvSpec spec) {
        requireRank(name, "pooling", in, 3);
        Conv2dGeometry g = spec.geometry(in[0], in[1], in[2]);
        return new int[] {in[0], g.outHeight(), g.outWidth()};
    }

    private Conv2dGeometry geometry(int n) {
        return spec.geometry(n * inShape[0], inShape[1], inShape[2]);
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        if (max) {
            rt.pooling().maxPoolForward(geometry(n), x, 0, y, 0, argmax, 0);
        } else {
            rt.pooling().avgPoolForward(geometry(n), countIncludePad, x, 0, y, 0);
        }
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        if (!needInputGrad) {
            return null;
        }
        if (dx == null) {
            dx = allocate(capacity * inSize());
        }
        dx.fill(0f, 0, n * inSize());
        if (max) {
            rt.pooling().maxPoolBackward(geometry(n), dy, 0, argmax, 0, dx, 0);
        } else {
            rt.pooling().avgPoolBackward(geometry(n), countIncludePad, dy, 0, dx, 0);
        }
        return dx;
    }
}
