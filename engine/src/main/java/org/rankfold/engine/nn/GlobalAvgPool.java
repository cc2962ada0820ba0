package org.rankfold.engine.nn;

import org.rankfold.engine.ops.PoolOps;
import org.rankfold.engine.tensor.Tensor;

/** Mean over each channel plane: (N, C, H, W) -> (N, C, 1, 1) ({@code adaptive_avg_pool2d(x, 1)}). */
public final class GlobalAvgPool extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        return PoolOps.globalAvgPool(x);
    }

    @Override
    public String toString() {
        return "GlobalAvgPool";
    }
}
