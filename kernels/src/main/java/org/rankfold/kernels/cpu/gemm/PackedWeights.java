package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.PackedConvWeights;

/**
 * A convolution weight (OC x K, row-major) already in the A micro-panels of one GEMM configuration: the
 * {@link PackA} layout of every k-block of the GEMM's blocking, one after another. Packing A is a strided
 * transpose that each GEMM call otherwise repeats per k-block and per thread; an inference plan calls the
 * convolution once per unit of a few images (5% of a dense resnet20 forward went to it), and a training step's
 * convolution once per group of images. The panels are copied, not re-packed: the same floats, the same bits.
 */
final class PackedWeights implements PackedConvWeights {
    final ConvGemm owner;
    final GemmConfig config;
    final float[] source;
    final int sourceOffset;
    final int m;
    final int k;
    /** Rows rounded up to the register tile's MR: the panels' height. */
    private final int paddedRows;
    private final float[] panels;

    /** Packs w (m x k at wOffset) for cfg, whose k-blocks are kcStep deep (the last one shorter). */
    PackedWeights(ConvGemm owner, GemmConfig cfg, int kcStep, float[] w, int wOffset, int m, int k, float[] into) {
        this.owner = owner;
        this.config = cfg;
        this.source = w;
        this.sourceOffset = wOffset;
        this.m = m;
        this.k = k;
        int mr = cfg.mr();
        this.paddedRows = (m + mr - 1) / mr * mr;
        this.panels = into != null && into.length >= (long) paddedRows * k ? into : new float[paddedRows * k];
        for (int pc = 0; pc < k; pc += kcStep) {
            PackA.pack(false, mr, w, wOffset, k, 0, m, pc, Math.min(kcStep, k - pc), panels, paddedRows * pc);
        }
    }

    /** The panels' array (possibly longer than they need), for a caller that reuses it. */
    float[] panels() {
        return panels;
    }

    /** The panels of the k-block [p0, p0 + kc) into dst[0..), as {@link PackA#pack} writes them. */
    void copyBlock(int p0, int kc, float[] dst) {
        System.arraycopy(panels, paddedRows * p0, dst, 0, paddedRows * kc);
    }

    /** Whether these are w's panels for the given shape and configuration. */
    boolean isFor(ConvGemm gemm, GemmConfig cfg, float[] w, int wOffset, int rows, int depth) {
        return owner == gemm && config == cfg && source == w && sourceOffset == wOffset && m == rows && k == depth;
    }
}
