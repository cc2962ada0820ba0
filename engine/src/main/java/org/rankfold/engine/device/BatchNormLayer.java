package org.rankfold.engine.device;

import java.util.Arrays;

import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * {@link BatchNorm2d} on the device, with the formulas of the engine's {@code BatchNormOp} (m = n*H*W):
 * training normalizes with the batch mean and biased variance computed in two passes (sum, then the sum
 * of squared deviations, no E[x^2] - mean^2 cancellation) and updates the running statistics in place
 * with PyTorch's momentum and the unbiased variance; evaluation applies the per-channel affine map of the
 * running statistics. Backward (training only): dbeta = sum dy, dgamma = sum dy*xhat,
 * dx = gamma*invStd*(dy - dbeta/m - xhat*dgamma/m).
 */
final class BatchNormLayer extends DeviceLayer {
    private final DeviceParameter gamma;
    private final DeviceParameter beta;
    private final DeviceParameter runningMean;
    private final DeviceParameter runningVar;
    private final float momentum;
    private final float eps;
    private final int channels;
    private final int hw;
    private final DeviceBuffer y;
    private final DeviceBuffer xhat;
    private final DeviceBuffer sums;
    private final DeviceBuffer negMean;
    private final DeviceBuffer sq;
    private final DeviceBuffer invStd;
    private final DeviceBuffer scale;
    private final DeviceBuffer shift;
    private DeviceBuffer dx;
    private boolean trainedForward;

    BatchNormLayer(OpenClRuntime rt, ParameterStore store, String name, BatchNorm2d bn, int[] in, int capacity) {
        super(rt, name, requireRank(name, "BatchNorm2d", in, 3), in, capacity);
        if (in[0] != bn.channels()) {
            throw new IllegalArgumentException("layer '" + name + "' (" + bn + ") gets " + in[0] + " channels");
        }
        this.gamma = store.of(bn.gamma());
        this.beta = store.of(bn.beta());
        this.runningMean = store.of(bn.runningMean());
        this.runningVar = store.of(bn.runningVar());
        this.momentum = (float) bn.momentum();
        this.eps = (float) bn.eps();
        this.channels = in[0];
        this.hw = in[1] * in[2];
        this.y = allocate(capacity * inSize());
        this.xhat = allocate(capacity * inSize());
        this.sums = allocate(channels);
        this.negMean = allocate(channels);
        this.sq = allocate(channels);
        this.invStd = allocate(channels);
        this.scale = allocate(channels);
        this.shift = allocate(channels);
    }

    @Override
    DeviceBuffer forward(DeviceBuffer x, int n, boolean training) {
        trainedForward = training;
        if (!training) {
            rt.training().batchNormEvalCoefficients(channels, eps, gamma.value(), beta.value(), runningMean.value(),
                    runningVar.value(), scale, shift);
            rt.elementwise().channelAffine(n, channels, hw, x, 0, scale, shift, y, 0);
            return y;
        }
        long m = (long) n * hw;
        if (m < 2) {
            throw new IllegalArgumentException("layer '" + name + "': batch norm in training mode needs more than 1 value "
                    + "per channel, got " + n + " image(s) of " + Arrays.toString(inShape));
        }
        rt.channels().channelSums(n, channels, hw, x, 0, sums, 0);
        rt.training().batchNormMean(channels, m, momentum, sums, negMean, runningMean.value());
        rt.elementwise().channelAffine(n, channels, hw, x, 0, null, negMean, xhat, 0);
        rt.channels().channelDots(n, channels, hw, xhat, 0, xhat, 0, sq, 0);
        rt.training().batchNormInvStd(channels, m, momentum, eps, sq, invStd, runningVar.value());
        rt.elementwise().channelAffine(n, channels, hw, xhat, 0, invStd, null, xhat, 0);
        rt.elementwise().channelAffine(n, channels, hw, xhat, 0, gamma.value(), beta.value(), y, 0);
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        if (!trainedForward) {
            throw new IllegalStateException("layer '" + name + "': backward after an evaluation-mode forward");
        }
        rt.channels().channelSums(n, channels, hw, dy, 0, beta.grad(), 0);
        rt.channels().channelDots(n, channels, hw, dy, 0, xhat, 0, gamma.grad(), 0);
        if (!needInputGrad) {
            return null;
        }
        if (dx == null) {
            dx = allocate(capacity * inSize());
        }
        rt.training().batchNormBackward(n, channels, hw, dy, xhat, gamma.value(), invStd, gamma.grad(), beta.grad(), dx);
        return dx;
    }
}
