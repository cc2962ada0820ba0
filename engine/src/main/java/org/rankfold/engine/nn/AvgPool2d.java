package org.rankfold.engine.nn;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.ops.PoolOps;
import org.rankfold.engine.tensor.Tensor;

/**
 * PyTorch's {@code nn.AvgPool2d(kernel, stride, padding, count_include_pad)}: with countIncludePad
 * (PyTorch's default) padded positions count in the divisor, otherwise only real elements do.
 */
public final class AvgPool2d extends Module {
    private final ConvSpec spec;
    private final boolean countIncludePad;

    public AvgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        if (padding * 2 > kernel) {
            throw new IllegalArgumentException("AvgPool2d: padding must be at most half the kernel, got kernel "
                    + kernel + ", padding " + padding);
        }
        this.spec = ConvSpec.square(kernel, stride, padding, 1);
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected Tensor compute(Tensor x) {
        return PoolOps.avgPool(x, spec, countIncludePad);
    }

    public ConvSpec spec() {
        return spec;
    }

    /** True when padded positions count in the divisor. */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + spec.kernelH() + ", stride=" + spec.strideH() + ", padding=" + spec.padH()
                + ", count_include_pad=" + countIncludePad + ")";
    }
}
