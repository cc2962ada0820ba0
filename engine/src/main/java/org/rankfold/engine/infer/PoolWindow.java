package org.rankfold.engine.infer;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.Backend;

/**
 * A max or average pooling window, run on channel planes: a (C, B, H, W) activation is C*B independent
 * planes, exactly the kernels' pooling layout, so pooling needs no copy in the plan's layout.
 */
record PoolWindow(boolean max, ConvSpec spec, boolean countIncludePad) {

    Shape output(Shape in) {
        var g = spec.geometry(1, in.height(), in.width());
        return new Shape(in.channels(), g.outHeight(), g.outWidth());
    }

    /** Pools {@code planes} consecutive H x W planes of x into consecutive OH x OW planes of y. */
    void run(Backend be, int planes, int height, int width, float[] x, int xOffset, float[] y, int yOffset) {
        var g = spec.geometry(planes, height, width);
        if (max && spec.padH() == 0 && spec.padW() == 0) {
            // inference needs no indices: the backend's branch-free path
            be.maxPoolValues(g, x, xOffset, y, yOffset);
        } else if (max) {
            int[] argmax = Scratch.get().ints(planes * g.outHeight() * g.outWidth());
            be.maxPoolForward(g, x, xOffset, y, yOffset, argmax, 0);
        } else {
            be.avgPoolForward(g, countIncludePad, x, xOffset, y, yOffset);
        }
    }

    String describe() {
        return (max ? "maxpool" : "avgpool") + spec.kernelH() + "x" + spec.kernelW()
                + (spec.strideH() == 1 ? "" : "/" + spec.strideH());
    }
}
