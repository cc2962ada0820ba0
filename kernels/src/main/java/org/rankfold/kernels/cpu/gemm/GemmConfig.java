package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.cpu.SimdWidth;

/**
 * Blocking of one SGEMM configuration (BLIS's per-CPU table). Vectors run along N (C is row-major), so:
 * <ul>
 *   <li>the packed B micro-panel (KC x NR) is reused by every A micro-panel of a block and stays in L1;</li>
 *   <li>the packed A block (MC x KC) is streamed once per B micro-panel and stays in L2;</li>
 *   <li>the packed B block (KC x NC) is reused by every A block of a column block and stays in L2/L3.</li>
 * </ul>
 * MC is a multiple of MR and NC a multiple of NR, so block edges never cut a register tile.
 *
 * @param kernel the micro-kernel, which fixes MR and NR
 * @param mc     rows of A per packed block
 * @param kc     depth of one packed block (k-dimension)
 * @param nc     columns of B per packed block
 */
public record GemmConfig(MicroKernel kernel, int mc, int kc, int nc) {

    public GemmConfig {
        if (mc < kernel.mr() || mc % kernel.mr() != 0) {
            throw new IllegalArgumentException("MC " + mc + " must be a positive multiple of MR " + kernel.mr());
        }
        if (nc < kernel.nr() || nc % kernel.nr() != 0) {
            throw new IllegalArgumentException("NC " + nc + " must be a positive multiple of NR " + kernel.nr());
        }
        if (kc < 1) {
            throw new IllegalArgumentException("KC must be >= 1, got " + kc);
        }
    }

    public int mr() {
        return kernel.mr();
    }

    public int nr() {
        return kernel.nr();
    }

    /**
     * The configuration for a vector width, sized for a core with a 48 KiB L1 and a 1 MiB L2 (AMD Zen 4/5,
     * recent Intel): B micro-panel KC*NR*4 bytes &lt;= ~32 KiB, A block MC*KC*4 bytes &lt;= ~half the L2.
     */
    public static GemmConfig forWidth(SimdWidth width) {
        return switch (width) {
            case BITS_512 -> new GemmConfig(new MicroKernel12x32(), 192, 256, 2048);
            case BITS_256 -> new GemmConfig(new MicroKernel6x16(), 192, 256, 2048);
            case BITS_128 -> new GemmConfig(new MicroKernel6x8(), 192, 256, 2048);
            case SCALAR -> new GemmConfig(new MicroKernel4x4Scalar(), 192, 256, 2048);
        };
    }
}
