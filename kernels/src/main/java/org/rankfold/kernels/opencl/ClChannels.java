package org.rankfold.kernels.opencl;

/**
 * Per-channel reductions on device buffers with {@code channels.cl} (BatchNorm statistics and their
 * gradients). x is (N, C, HW); {@code out} receives C floats. One work-group per channel reduces in a
 * fixed order (deterministic); in double where the device has {@code cl_khr_fp64}.
 */
public final class ClChannels {
    private final ProgramCache programs;
    private final KernelLauncher launcher;
    private final int group;

    public ClChannels(ProgramCache programs, KernelLauncher launcher, DeviceInfo device) {
        this.programs = programs;
        this.launcher = launcher;
        this.group = (int) Long.highestOneBit(Math.max(1, Math.min(256, device.maxWorkGroupSize())));
    }

    /** {@code out[outOffset + c] = sum over i < N, j < HW of x[(i*C + c)*HW + j]}; out is overwritten. */
    public void channelSums(int n, int c, int hw, DeviceBuffer x, long xOffset, DeviceBuffer out, long outOffset) {
        long len = ClElementwise.channelLayout("channelSums", n, c, hw);
        Checks.range("channelSums x", x, xOffset, len);
        Checks.range("channelSums out", out, outOffset, c);
        if (c > 0) {
            launcher.launch(kernel("channel_sums"), new long[] {(long) c * group}, new long[] {group},
                    n, c, hw, x, xOffset, out, outOffset);
        }
    }

    /** {@code out[outOffset + c] = sum over i, j of a*b} at the same positions; out is overwritten. */
    public void channelDots(int n, int c, int hw, DeviceBuffer a, long aOffset, DeviceBuffer b, long bOffset,
                            DeviceBuffer out, long outOffset) {
        long len = ClElementwise.channelLayout("channelDots", n, c, hw);
        Checks.range("channelDots a", a, aOffset, len);
        Checks.range("channelDots b", b, bOffset, len);
        Checks.range("channelDots out", out, outOffset, c);
        if (c > 0) {
            launcher.launch(kernel("channel_dots"), new long[] {(long) c * group}, new long[] {group},
                    n, c, hw, a, aOffset, b, bOffset, out, outOffset);
        }
    }

    private ClKernel kernel(String name) {
        return programs.kernel("channels", "-DGROUP=" + group, name);
    }
}
