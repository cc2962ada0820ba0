package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Conv2dGeometry;

/**
 * Pooling over each (n, c) plane of x (N, C, H, W): max (argmax kept for backward; PyTorch's tie rule,
 * padding as -inf), average (PyTorch's count_include_pad choice) and global average (output (N, C, 1, 1)).
 * Output sizes use floor (ceil_mode = false).
 */
public final class PoolOps {
    private PoolOps() {
    }

    public static Tensor maxPool(Tensor x, ConvSpec spec) {
        Conv2dGeometry g = planes(x, spec, "maxPool");
        int n = x.dim(0);
        int c = x.dim(1);
        int outSize = g.channels() * g.colCols();
        float[] out = StepArena.floats(outSize);
        int[] argmax = StepArena.ints(outSize);
        Backends.current().maxPoolForward(g, x.data(), 0, out, 0, argmax, 0);
        return Tensor.derived(out, new int[] {n, c, g.outHeight(), g.outWidth()}, "maxPool", dout -> {
            if (x.requiresGrad()) {
                Backends.current().maxPoolBackward(g, dout, 0, argmax, 0, x.gradForAccumulation(), 0);
            }
        }, x);
    }

    public static Tensor avgPool(Tensor x, ConvSpec spec, boolean countIncludePad) {
        if (spec.dilationH() != 1 || spec.dilationW() != 1) {
            throw new IllegalArgumentException("avgPool has no dilation");
        }
        Conv2dGeometry g = planes(x, spec, "avgPool");
        float[] out = StepArena.floats(g.channels() * g.colCols());
        Backends.current().avgPoolForward(g, countIncludePad, x.data(), 0, out, 0);
        return Tensor.derived(out, new int[] {x.dim(0), x.dim(1), g.outHeight(), g.outWidth()}, "avgPool", dout -> {
            if (x.requiresGrad()) {
                Backends.current().avgPoolBackward(g, countIncludePad, dout, 0, x.gradForAccumulation(), 0);
            }
        }, x);
    }

    /** Mean over each H x W plane: (N, C, H, W) -> (N, C, 1, 1); a window covering the whole plane. */
    public static Tensor globalAvgPool(Tensor x) {
        requireNchw(x, "globalAvgPool");
        return avgPool(x, new ConvSpec(x.dim(2), x.dim(3), 1, 1, 0, 0, 1, 1), true);
    }

    private static Conv2dGeometry planes(Tensor x, ConvSpec spec, String op) {
        requireNchw(x, op);
        return spec.geometry(x.dim(0) * x.dim(1), x.dim(2), x.dim(3));
    }

    private static void requireNchw(Tensor x, String op) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + " needs x (N, C, H, W), got " + Arrays.toString(x.shape()));
        }
    }
}
