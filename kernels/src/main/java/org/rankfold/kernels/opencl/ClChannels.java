package org.rankfold.kernels.opencl;

/**
 * Per-channel reductions on device buffers with {@code channels.cl} (BatchNorm statistics and their
 * gradients). x is (N, C, HW); {@code out} receives C floats. One work-group per channel reduces in a
 * fixed order (deterministic); in double where the device has {@code cl_khr_fp64}.
 */
public final class ClChannels {
    private final ProgramCache programs;
    private final KernelLauncher launcher;
    private final BufferAllocator allocator;
    private final DeviceInfo device;
    private final int group;

    public ClChannels(ProgramCache programs, KernelLauncher launcher, BufferAllocator allocator, DeviceInfo device) {
        this.programs = programs;
        this.launcher = launcher;
        this.allocator = allocator;
        this.device = device;
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

    /**
     * Host-side results: {@code out[c] = sum over i, j of x} (b null) or {@code of a*b}, accumulated and
     * returned in double when the device has cl_khr_fp64 (else float accumulation, widened). out is
     * overwritten.
     */
    public void channelReduceToHost(int n, int c, int hw, DeviceBuffer a, long aOffset, DeviceBuffer b, long bOffset,
                                    double[] out) {
        long len = ClElementwise.channelLayout("channelReduceToHost", n, c, hw);
        Checks.range("channel reduction a", a, aOffset, len);
        if (b != null) {
            Checks.range("channel reduction b", b, bOffset, len);
        }
        if (c == 0) {
            return;
        }
        boolean wide = device.fp64();
        try (DeviceBuffer result = allocator.allocate(wide ? 2L * c : c)) {
            ClKernel k = programs.kernel("channels", options(wide), b == null ? "channel_sums" : "channel_dots");
            if (b == null) {
                launcher.launch(k, new long[] {(long) c * group}, new long[] {group}, n, c, hw, a, aOffset, result, 0L);
            } else {
                launcher.launch(k, new long[] {(long) c * group}, new long[] {group}, n, c, hw, a, aOffset, b, bOffset,
                        result, 0L);
            }
            if (wide) {
                result.readDoubles(0, out, 0, c);
            } else {
                float[] f = new float[c];
                result.read(0, f, 0, c);
                for (int i = 0; i < c; i++) {
                    out[i] = f[i];
                }
            }
        }
    }

    private ClKernel kernel(String name) {
        return programs.kernel("channels", options(false), name);
    }

    private String options(boolean wide) {
        return "-DGROUP=" + group + (wide ? " -DWIDE_OUT=1" : "");
    }
}
