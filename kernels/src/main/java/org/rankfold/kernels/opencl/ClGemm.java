package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Transpose;

/**
 * SGEMM on device buffers with {@code gemm.cl}: {@code C = alpha * op(A) * op(B) + beta * C}; op(A) is
 * M x K, op(B) is K x N, C is M x N, row-major with leading dimensions (in floats) and element offsets.
 * C is modified; with beta == 0 it is overwritten. One build per (tiling, transpose pair), cached.
 *
 * <p>Tiling: the device's {@link GemmTiling#forDevice} tiling, or the next smaller one when M or N is
 * below half its tile (a 128-wide tile over a 20-wide matrix would idle most work-items). CPU devices
 * (PoCL) run {@code gemm_rows.cl} instead, which suits how they execute work-groups.
 */
public final class ClGemm {
    private final ProgramCache programs;
    private final KernelLauncher launcher;
    private final DeviceInfo device;
    private final GemmTiling large;
    private final GemmTiling small;
    private final boolean rows;

    /** The device's kernel: tiled on GPUs, {@code gemm_rows.cl} on CPU devices. */
    public ClGemm(ProgramCache programs, KernelLauncher launcher, DeviceInfo device) {
        this(programs, launcher, device, GemmTiling.forDevice(device), !device.isGpu());
    }

    /** The tiled kernel with an explicit tiling, on any device (tests, tuning). */
    public ClGemm(ProgramCache programs, KernelLauncher launcher, DeviceInfo device, GemmTiling tiling) {
        this(programs, launcher, device, tiling, false);
    }

    private ClGemm(ProgramCache programs, KernelLauncher launcher, DeviceInfo device, GemmTiling tiling, boolean rows) {
        if (!tiling.fits(device.maxWorkGroupSize(), device.localMemBytes())) {
            throw new IllegalArgumentException("tiling " + tiling + " does not fit device " + device.name());
        }
        this.programs = programs;
        this.launcher = launcher;
        this.device = device;
        this.large = tiling;
        this.small = tiling.smaller(device);
        this.rows = rows;
    }

    /** Which kernel runs on this device: the tiled one with its tiling, or the CPU-device one. */
    public String describe() {
        return !rows ? "gemm.cl tiling " + large
                : "gemm_rows.cl (" + ROWS_PER_ITEM + " rows per work-item, " + ROWS_GROUP + " columns per group)";
    }

    /** The tiling used for large matrices. */
    public GemmTiling tiling() {
        return large;
    }

    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, DeviceBuffer a, long aOffset, int lda,
                     DeviceBuffer b, long bOffset, int ldb,
                     float beta, DeviceBuffer c, long cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size M=" + m + " N=" + n + " K=" + k);
        }
        checkMatrix("A", a, aOffset, transA.transposed() ? k : m, transA.transposed() ? m : k, lda);
        checkMatrix("B", b, bOffset, transB.transposed() ? n : k, transB.transposed() ? k : n, ldb);
        checkMatrix("C", c, cOffset, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (rows) {
            gemmRows(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        GemmTiling t = (m < large.tileM() / 2 || n < large.tileN() / 2) ? small : large;
        ClKernel kernel = programs.kernel("gemm", t.buildOptions(transA, transB), "sgemm");
        // A compiled kernel may allow fewer work-items than the device (registers): step down until it fits.
        while (kernel.maxWorkGroupSize() < t.threads()) {
            GemmTiling next = t.smaller(device);
            if (next.equals(t)) {
                throw new IllegalStateException("gemm: even tiling " + t + " needs " + t.threads()
                        + " work-items but the built kernel allows " + kernel.maxWorkGroupSize() + " on " + device.name());
            }
            t = next;
            kernel = programs.kernel("gemm", t.buildOptions(transA, transB), "sgemm");
        }
        long[] global = {KernelLauncher.roundUp(n, t.tileN()) / t.workN(), KernelLauncher.roundUp(m, t.tileM()) / t.workM()};
        launcher.launch(kernel, global, t.localSize(), m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                beta, c, cOffset, ldc);
    }

    /** Rows of C per work-item of {@code gemm_rows.cl}. */
    static final int ROWS_PER_ITEM = 8;
    /** Columns per work-group of {@code gemm_rows.cl}. */
    static final int ROWS_GROUP = 64;

    /** CPU devices: {@code gemm_rows.cl}, no local memory or barriers (see there why). */
    private void gemmRows(Transpose transA, Transpose transB, int m, int n, int k, float alpha, DeviceBuffer a,
                          long aOffset, int lda, DeviceBuffer b, long bOffset, int ldb, float beta, DeviceBuffer c,
                          long cOffset, int ldc) {
        String options = "-DRM=" + ROWS_PER_ITEM + " -DTRANS_A=" + (transA.transposed() ? 1 : 0)
                + " -DTRANS_B=" + (transB.transposed() ? 1 : 0);
        ClKernel kernel = programs.kernel("gemm_rows", options, "sgemm_rows");
        // work-groups of 64 neighbouring columns: what the CPU compiler vectorizes across
        long group = Math.min(ROWS_GROUP, kernel.maxWorkGroupSize());
        long[] global = {KernelLauncher.roundUp(n, group), (m + ROWS_PER_ITEM - 1) / ROWS_PER_ITEM};
        launcher.launch(kernel, global, new long[] {group, 1}, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c,
                cOffset, ldc);
    }

    /** A rows x cols matrix with row stride ld at offset must lie inside the buffer, and index with int. */
    private static void checkMatrix(String name, DeviceBuffer buf, long offset, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) {
            return; // never read (K == 0) or never written (M or N == 0)
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: leading dimension of " + name + " is " + ld
                    + ", must be >= " + cols);
        }
        long span = (long) (rows - 1) * ld + cols;
        if (span >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm: " + name + " spans " + span + " elements, the OpenCL kernel "
                    + "indexes with int (< 2^31)");
        }
        if (offset < 0 || offset + span > buf.elements()) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + " x " + cols + ", ld " + ld
                    + ") at offset " + offset + " exceeds its buffer of " + buf.elements() + " elements");
        }
    }
}
