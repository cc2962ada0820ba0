package org.rankfold.engine.device;

import org.rankfold.engine.nn.Linear;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * {@link Linear} on the device: x (n, in), W (out, in), y = x W^T + b (one NT GEMM, then the bias per
 * column); backward dW = dy^T x (TN), db = column sums of dy, dx = dy W (NN).
 */
final class LinearLayer extends DeviceLayer {
    private final DeviceParameter weight;
    private final DeviceParameter bias;
    private final int in;
    private final int out;
    private final DeviceBuffer y;
    private DeviceBuffer dx;
    private DeviceBuffer x;

    LinearLayer(OpenClRuntime rt, ParameterStore store, String name, Linear linear, int[] inShape, int capacity) {
        super(rt, name, requireRank(name, "Linear", inShape, 1), new int[] {linear.weight().dim(0)}, capacity);
        this.in = linear.weight().dim(1);
        this.out = linear.weight().dim(0);
        if (inShape[0] != in) {
            throw new IllegalArgumentException("layer '" + name + "' (" + linear + ") gets " + inShape[0] + " features");
        }
        this.weight = store.of(linear.weight());
        this.bias = linear.bias() == null ? null : store.of(linear.bias());
        this.y = allocate((long) capacity * out);
    }

    @Override
    DeviceBuffer forward(DeviceBuffer input, int n, boolean training) {
        this.x = input;
        rt.gemm().gemm(Transpose.NO, Transpose.YES, n, out, in, 1f, input, 0, in, weight.value(), 0, in, 0f, y, 0, out);
        if (bias != null) {
            rt.elementwise().biasRelu(n, out, 1, y, 0, bias.value(), y, 0, false);
        }
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        rt.gemm().gemm(Transpose.YES, Transpose.NO, out, in, n, 1f, dy, 0, out, x, 0, in, 0f, weight.grad(), 0, in);
        if (bias != null) {
            rt.channels().channelSums(n, out, 1, dy, 0, bias.grad(), 0);
        }
        if (!needInputGrad) {
            return null;
        }
        if (dx == null) {
            dx = allocate((long) capacity * in);
        }
        rt.gemm().gemm(Transpose.NO, Transpose.NO, n, in, out, 1f, dy, 0, out, weight.value(), 0, in, 0f, dx, 0, in);
        return dx;
    }
}
