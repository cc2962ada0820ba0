package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Max and average pooling on device buffers with {@code pooling.cl}, PyTorch semantics as in
 * {@code PoolRef}. {@code g.channels()} counts planes (N*C): x is (planes, H, W), y and argmax
 * (planes, OH, OW). Backward passes gather per input element, so they are deterministic.
 */
public final class ClPooling {
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClPooling(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /**
     * y and argmax (an int buffer; {@code h*W + w} in the plane) are overwritten. Padding must be at most
     * half the kernel (PyTorch's rule), so no window lies entirely in the padding.
     */
    public void maxPoolForward(Conv2dGeometry g, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset,
                               DeviceBuffer argmax, long argmaxOffset) {
        if (2 * g.padH() > g.kernelH() || 2 * g.padW() > g.kernelW()) {
            throw new IllegalArgumentException("maxPoolForward: padding " + g.padH() + "x" + g.padW()
                    + " must be at most half the kernel " + g.kernelH() + "x" + g.kernelW());
        }
        long out = outElements(g);
        Checks.range("maxPool x", x, xOffset, inElements(g));
        Checks.range("maxPool y", y, yOffset, out);
        Checks.range("maxPool argmax", argmax, argmaxOffset, out);
        launcher.launch1d(kernel("max_pool_forward"), out, geometry(g, x, xOffset, y, yOffset, argmax, argmaxOffset));
    }

    /** {@code dx[plane][argmax[o]] += dy[o]}; dx (planes, H, W) is accumulated into. */
    public void maxPoolBackward(Conv2dGeometry g, DeviceBuffer dy, long dyOffset, DeviceBuffer argmax,
                                long argmaxOffset, DeviceBuffer dx, long dxOffset) {
        long in = inElements(g);
        Checks.range("maxPoolBackward dy", dy, dyOffset, outElements(g));
        Checks.range("maxPoolBackward argmax", argmax, argmaxOffset, outElements(g));
        Checks.range("maxPoolBackward dx", dx, dxOffset, in);
        launcher.launch1d(kernel("max_pool_backward"), in, geometry(g, dy, dyOffset, argmax, argmaxOffset, dx, dxOffset));
    }

    /** y is overwritten with window means (no dilation); divisor as in PyTorch's count_include_pad. */
    public void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, DeviceBuffer x, long xOffset,
                               DeviceBuffer y, long yOffset) {
        requireNoDilation(g);
        long out = outElements(g);
        Checks.range("avgPool x", x, xOffset, inElements(g));
        Checks.range("avgPool y", y, yOffset, out);
        launcher.launch1d(kernel("avg_pool_forward"), out, avgArgs(g, countIncludePad, x, xOffset, y, yOffset));
    }

    /** Every input of a window gets {@code dy / divisor}; dx is accumulated into. */
    public void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, DeviceBuffer dy, long dyOffset,
                                DeviceBuffer dx, long dxOffset) {
        requireNoDilation(g);
        long in = inElements(g);
        Checks.range("avgPoolBackward dy", dy, dyOffset, outElements(g));
        Checks.range("avgPoolBackward dx", dx, dxOffset, in);
        launcher.launch1d(kernel("avg_pool_backward"), in, avgArgs(g, countIncludePad, dy, dyOffset, dx, dxOffset));
    }

    private static long inElements(Conv2dGeometry g) {
        return (long) g.channels() * g.height() * g.width();
    }

    private static long outElements(Conv2dGeometry g) {
        return (long) g.channels() * g.outHeight() * g.outWidth();
    }

    private static void requireNoDilation(Conv2dGeometry g) {
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("average pooling has no dilation, got " + g.dilationH() + "x"
                    + g.dilationW());
        }
    }

    private static Object[] geometry(Conv2dGeometry g, Object... buffers) {
        Object[] head = {g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.dilationH(), g.dilationW(), g.outHeight(), g.outWidth()};
        Object[] all = new Object[head.length + buffers.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(buffers, 0, all, head.length, buffers.length);
        return all;
    }

    private static Object[] avgArgs(Conv2dGeometry g, boolean countIncludePad, DeviceBuffer in, long inOffset,
                                    DeviceBuffer out, long outOffset) {
        return new Object[] {g.channels(), g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                g.padH(), g.padW(), g.outHeight(), g.outWidth(), countIncludePad ? 1 : 0, in, inOffset, out, outOffset};
    }

    private ClKernel kernel(String name) {
        return programs.kernel("pooling", "", name);
    }
}
