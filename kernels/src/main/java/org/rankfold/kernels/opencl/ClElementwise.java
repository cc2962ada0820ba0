package org.rankfold.kernels.opencl;

/**
 * Element-wise ops on device buffers with {@code elementwise.cl}; {@code len} consecutive floats at the
 * given element offsets. Outputs may alias inputs at the same offset. Results equal the scalar
 * reference ({@code ElementwiseRef}, {@code ChannelRef}) bit for bit: the kernels forbid FMA contraction.
 */
public final class ClElementwise {
    private static final String SOURCE = "elementwise";
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClElementwise(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /** {@code y += x}; y is modified. */
    public void addInPlace(long len, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset) {
        check(len, x, xOffset, y, yOffset);
        launcher.launch1d(kernel("add_inplace"), len, len, x, xOffset, y, yOffset);
    }

    /** {@code y += alpha * x}; y is modified. */
    public void axpy(long len, float alpha, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset) {
        check(len, x, xOffset, y, yOffset);
        launcher.launch1d(kernel("axpy"), len, len, alpha, x, xOffset, y, yOffset);
    }

    /** {@code y = alpha * x}; y is overwritten. */
    public void scale(long len, float alpha, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset) {
        check(len, x, xOffset, y, yOffset);
        launcher.launch1d(kernel("scale"), len, len, alpha, x, xOffset, y, yOffset);
    }

    /** {@code y = max(0, x)} (NaN maps to 0); y is overwritten. */
    public void relu(long len, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset) {
        check(len, x, xOffset, y, yOffset);
        launcher.launch1d(kernel("relu"), len, len, x, xOffset, y, yOffset);
    }

    /** {@code dx += (x > 0 ? dy : 0)}, x the ReLU's input; dx is accumulated into. */
    public void reluBackward(long len, DeviceBuffer x, long xOffset, DeviceBuffer dy, long dyOffset,
                             DeviceBuffer dx, long dxOffset) {
        check(len, x, xOffset, dx, dxOffset);
        Checks.range("reluBackward dy", dy, dyOffset, len);
        launcher.launch1d(kernel("relu_backward"), len, len, x, xOffset, dy, dyOffset, dx, dxOffset);
    }

    /**
     * x, y (N, C, HW): {@code y = x + bias[c]}, then {@code max(0, .)} when relu; bias (C floats) null
     * means 0. y is overwritten and may be x.
     */
    public void biasRelu(int n, int c, int hw, DeviceBuffer x, long xOffset, DeviceBuffer bias, DeviceBuffer y,
                         long yOffset, boolean relu) {
        long len = channelLayout("biasRelu", n, c, hw);
        check(len, x, xOffset, y, yOffset);
        if (bias != null) {
            Checks.range("biasRelu bias", bias, 0, c);
        }
        launcher.launch1d(kernel("bias_relu"), len, len, c, hw, x, xOffset, bias, bias == null ? 0 : 1,
                relu ? 1 : 0, y, yOffset);
    }

    /**
     * x, y (N, C, HW): {@code y = x * scale[c] + shift[c]}; scale/shift (C floats) null mean 1/0.
     * y is overwritten and may be x.
     */
    public void channelAffine(int n, int c, int hw, DeviceBuffer x, long xOffset, DeviceBuffer scale,
                              DeviceBuffer shift, DeviceBuffer y, long yOffset) {
        long len = channelLayout("channelAffine", n, c, hw);
        check(len, x, xOffset, y, yOffset);
        if (scale != null) {
            Checks.range("channelAffine scale", scale, 0, c);
        }
        if (shift != null) {
            Checks.range("channelAffine shift", shift, 0, c);
        }
        launcher.launch1d(kernel("channel_affine"), len, len, c, hw, x, xOffset, scale, scale == null ? 0 : 1,
                shift, shift == null ? 0 : 1, y, yOffset);
    }

    static long channelLayout(String what, int n, int c, int hw) {
        Checks.sizes(what, n, c, hw);
        if (c == 0 || hw == 0) {
            if ((long) n * c * hw != 0) {
                throw new IllegalArgumentException(what + ": bad layout");
            }
        }
        return (long) n * c * hw;
    }

    private ClKernel kernel(String name) {
        return programs.kernel(SOURCE, "", name);
    }

    private static void check(long len, DeviceBuffer x, long xOffset, DeviceBuffer y, long yOffset) {
        Checks.sizes("elementwise length", len);
        Checks.range("elementwise input", x, xOffset, len);
        Checks.range("elementwise output", y, yOffset, len);
    }
}
