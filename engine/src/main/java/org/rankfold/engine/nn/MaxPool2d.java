package org.rankfold.engine.nn;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.ops.PoolOps;
import org.rankfold.engine.tensor.Tensor;

/** PyTorch's {@code nn.MaxPool2d(kernel, stride, padding)} (floor output size; padding acts as -inf). */
public final class MaxPool2d extends Module {
    private final ConvSpec spec;

    public MaxPool2d(int kernel, int stride, int padding) {
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("MaxPool2d: padding must be at most half the kernel, got kernel "
                    + kernel + ", padding " + padding);
        }
        this.spec = ConvSpec.square(kernel, stride, padding, 1);
    }

    @Override
    protected Tensor compute(Tensor x) {
        return PoolOps.maxPool(x, spec);
    }

    public ConvSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "MaxPool2d(" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH() + ")";
    }
}
