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
 * @param ncSmallM columns of B per packed block when all of M fits one A block (M &lt;= MC): each B element
 *               is then used only M times, and a block that is packed and consumed while still in L2 wins
 */
public record GemmConfig(MicroKernel kernel, int mc, int kc, int nc, int ncSmallM) {

    public GemmConfig {
        if (mc < kernel.mr() || mc % kernel.mr() != 0) {
            throw new IllegalArgumentException("MC " + mc + " must be a positive multiple of MR " + kernel.mr());
        }
        if (nc < kernel.nr() || nc % kernel.nr() != 0) {
            throw new IllegalArgumentException("NC " + nc + " must be a positive multiple of NR " + kernel.nr());
        }
        if (ncSmallM < kernel.nr() || ncSmallM % kernel.nr() != 0 || ncSmallM > nc) {
            throw new IllegalArgumentException("NC for small M " + ncSmallM + " must be a positive multiple of NR "
                    + kernel.nr() + " and at most NC " + nc);
        }
        if (kc < 1) {
            throw new IllegalArgumentException("KC must be >= 1, got " + kc);
        }
    }

    /**
     * The depth of the k-blocks over a depth of k: k split into ceil(k / KC) blocks as even as possible (the
     * last one shorter). Every GEMM loop and {@link PackedWeights} block k this way, so packed panels line up.
     */
    public int kcStep(int k) {
        int blocks = (k + kc - 1) / kc;
        return (k + blocks - 1) / blocks;
    }

    public int mr() {
        return kernel.mr();
    }

    public int nr() {
        return kernel.nr();
    }

    /** The same blocking with another micro-kernel of the same NR (MC must stay a multiple of its MR). */
    public GemmConfig withKernel(MicroKernel other) {
        return new GemmConfig(other, mc, kc, nc, ncSmallM);
    }

    /**
     * The configuration for a vector width, sized for a core with a 48 KiB L1 and a 1 MiB L2 (AMD Zen 4/5,
     * recent Intel) and tuned on Zen 5 at 1024^3 and the im2col shapes: B micro-panel KC*NR*4 bytes
     * (at most 40 KiB, about 32 KiB after K is cut into equal blocks), A block MC*KC*4 bytes (240 KiB) in L2.
     * KC = 320 keeps K = 288 and 576 (3x3 convolutions of 32 and 64 channels) in one and two blocks.
     */
    public static GemmConfig forWidth(SimdWidth width) {
        return switch (width) {
            case BITS_512 -> new GemmConfig(new MicroKernel12x32(), 192, 320, 1024, 128);
            case BITS_256 -> new GemmConfig(new MicroKernel6x16(), 192, 320, 1024, 128);
            case BITS_128 -> new GemmConfig(new MicroKernel6x8(), 192, 320, 1024, 128);
            case SCALAR -> new GemmConfig(new MicroKernel4x4Scalar(), 192, 320, 1024, 128);
        };
    }
}
