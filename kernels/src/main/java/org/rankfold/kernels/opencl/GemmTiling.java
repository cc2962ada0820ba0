package org.rankfold.kernels.opencl;

import java.util.List;

import org.rankfold.kernels.Transpose;

/**
 * Tile sizes of the OpenCL SGEMM ({@code gemm.cl}): a work-group computes a {@code tileM x tileN} block
 * of C in steps of {@code tileK}; each work-item keeps {@code workM x workN} results in registers. The
 * work-group has {@code (tileM/workM) * (tileN/workN)} work-items and needs
 * {@code 4 * tileK * (tileM + 1 + tileN + 1)} bytes of local memory.
 */
public record GemmTiling(int tileM, int tileN, int tileK, int workM, int workN) {

    /** Largest first; {@link #forDevice} takes the first that the device can run. */
    public static final List<GemmTiling> CANDIDATES = List.of(
            new GemmTiling(128, 128, 16, 8, 8),
            new GemmTiling(64, 64, 16, 4, 4),
            new GemmTiling(32, 32, 16, 4, 4),
            new GemmTiling(16, 16, 16, 2, 2),
            new GemmTiling(8, 8, 8, 2, 2),
            new GemmTiling(4, 4, 4, 1, 1));

    /**
     * Further shapes that {@code OpenClSmoke --tilings all} times on a device (besides the candidates),
     * so one GPU session measures which tile shape suits it: a shallower and a deeper K step, rectangular
     * tiles, and a 256-row tile of 512 work-items.
     */
    public static final List<GemmTiling> TUNING = List.of(
            new GemmTiling(128, 128, 8, 8, 8),
            new GemmTiling(128, 128, 32, 8, 8),
            new GemmTiling(128, 64, 16, 8, 4),
            new GemmTiling(64, 128, 16, 4, 8),
            new GemmTiling(256, 128, 16, 8, 8),
            new GemmTiling(64, 64, 8, 8, 8));

    public GemmTiling {
        if (tileM <= 0 || tileN <= 0 || tileK <= 0 || workM <= 0 || workN <= 0
                || tileM % workM != 0 || tileN % workN != 0) {
            throw new IllegalArgumentException("GemmTiling: tiles must be positive multiples of the per-work-item "
                    + "block, got tile " + tileM + "x" + tileN + "x" + tileK + ", block " + workM + "x" + workN);
        }
    }

    /** {@code 128x128x16/8x8}: tile M x N x K / block M x N. */
    @Override
    public String toString() {
        return tileM + "x" + tileN + "x" + tileK + "/" + workM + "x" + workN;
    }

    /** Work-items per work-group. */
    public int threads() {
        return (tileM / workM) * (tileN / workN);
    }

    /** Local memory of one work-group in bytes (two padded tiles). */
    public long localBytes() {
        return 4L * tileK * (tileM + 1 + tileN + 1);
    }

    /** Whether a device with these limits can run this tiling. */
    public boolean fits(long maxWorkGroupSize, long localMemBytes) {
        return threads() <= maxWorkGroupSize && localBytes() <= localMemBytes;
    }

    /** The work-group size as (columns, rows), matching the kernel's {@code reqd_work_group_size}. */
    public long[] localSize() {
        return new long[] {tileN / workN, tileM / workM};
    }

    /** The compile-time definitions for one transpose variant. */
    public String buildOptions(Transpose transA, Transpose transB) {
        return "-DTSM=" + tileM + " -DTSN=" + tileN + " -DTSK=" + tileK + " -DWPTM=" + workM + " -DWPTN=" + workN
                + " -DTRANS_A=" + (transA.transposed() ? 1 : 0) + " -DTRANS_B=" + (transB.transposed() ? 1 : 0);
    }

    /**
     * The tiling for a device: on a GPU the largest candidate that fits its work-group and local-memory
     * limits (big tiles give the most reuse per load); on a CPU device (PoCL) the 32x32 one, whose tiles
     * stay in L1 and whose 64 work-items keep the work-item loops short.
     */
    public static GemmTiling forDevice(DeviceInfo device) {
        List<GemmTiling> fitting = CANDIDATES.stream()
                .filter(t -> t.fits(device.maxWorkGroupSize(), device.localMemBytes())).toList();
        if (fitting.isEmpty()) {
            throw new IllegalStateException("device " + device.name() + " cannot run even the smallest SGEMM tile ("
                    + "max work-group " + device.maxWorkGroupSize() + ", local memory " + device.localMemBytes() + " B)");
        }
        if (!device.isGpu()) {
            return fitting.stream().filter(t -> t.tileM() <= 32).findFirst().orElse(fitting.get(fitting.size() - 1));
        }
        return fitting.get(0);
    }

    /** The next smaller fitting candidate, for matrices smaller than this tile; this one if none. */
    public GemmTiling smaller(DeviceInfo device) {
        int i = CANDIDATES.indexOf(this);
        for (int j = Math.max(0, i + 1); j < CANDIDATES.size(); j++) {
            GemmTiling t = CANDIDATES.get(j);
            if (t.fits(device.maxWorkGroupSize(), device.localMemBytes())) {
                return t;
            }
        }
        return this;
    }
}
