package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * im2col and col2im of one image on device buffers with {@code im2col.cl}; layout as in
 * {@link Conv2dGeometry}: x is (C, H, W), cols is (C*KH*KW, OH*OW).
 */
public final class ClIm2col {
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClIm2col(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /** cols (C*KH*KW, OH*OW) at colsOffset is overwritten; zero where the window reads padding. */
    public void im2col(Conv2dGeometry g, DeviceBuffer x, long xOffset, DeviceBuffer cols, long colsOffset) {
        Checks.range("im2col x", x, xOffset, g.inputSize());
        long total = (long) g.colRows() * g.colCols();
        Checks.range("im2col cols", cols, colsOffset, total);
        launcher.launch1d(programs.kernel("im2col", "", "im2col"), total, withGeometry(x, xOffset, cols, colsOffset, g));
    }

    /** dx (C, H, W) at dxOffset is accumulated into with the adjoint of im2col. */
    public void col2im(Conv2dGeometry g, DeviceBuffer cols, long colsOffset, DeviceBuffer dx, long dxOffset) {
        Checks.range("col2im cols", cols, colsOffset, (long) g.colRows() * g.colCols());
        Checks.range("col2im dx", dx, dxOffset, g.inputSize());
        launcher.launch1d(programs.kernel("im2col", "", "col2im"), g.inputSize(),
                withGeometry(cols, colsOffset, dx, dxOffset, g));
    }

    private static Object[] withGeometry(DeviceBuffer in, long inOffset, DeviceBuffer out, long outOffset,
                                         Conv2dGeometry g) {
        return new Object[] {in, inOffset, out, outOffset, g.channels(), g.height(), g.width(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(),
                g.outHeight(), g.outWidth()};
    }
}
