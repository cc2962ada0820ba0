package org.rankfold.kernels.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 4 x 32 register tile on 512-bit vectors (2 vectors of 16 floats per row, 8 accumulators): the tile for
 * M of 1-4, the ranks of a strongly compressed layer, where the 12- and 8-row tiles would compute mostly
 * padding. a is a packed A micro-panel (KC x MR, 4 floats per k), b a packed B micro-panel (KC x NR, 32 floats
 * per k); C is row-major with leading dimension ldc. Each C element is one fused multiply-add chain over
 * k in ascending order, so the result does not depend on blocking or threads.
 *
 * <p>Rows are unrolled by hand: the accumulators must be locals so C2 keeps them
 * in registers (an array of vectors would be spilled to memory).
 */
public final class MicroKernel4x32 implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int MR = 4;
    private static final int NR = 32;
    private static final int L = 16;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public int vectorBits() {
        return 512;
    }

    @Override
    public void packRow(int panels, float[] b, int src, float[] dst, int dstOffset, int panelStride) {
        // t: NR floats of the row into panel t, with vector moves (no call per panel)
        for (int t = 0; t < panels; t++) {
            int s = src + t * NR;
            int d = dstOffset + t * panelStride;
            FloatVector.fromArray(S, b, s).intoArray(dst, d);
            FloatVector.fromArray(S, b, s + L).intoArray(dst, d + L);
        }
    }

    @Override
    public void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset,
                         float alpha, float beta, float[] c, int cOffset, int ldc) {
        FloatVector c0_0 = FloatVector.zero(S); FloatVector c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S); FloatVector c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S); FloatVector c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S); FloatVector c3_1 = FloatVector.zero(S);
        // k: one rank-1 update of the tile per step
        for (int p = 0; p < kc; p++) {
            int ai = aOffset + p * MR;
            int bi = bOffset + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c0_0 = a0.fma(b0, c0_0); c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c1_0 = a1.fma(b0, c1_0); c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c2_0 = a2.fma(b0, c2_0); c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c3_0 = a3.fma(b0, c3_0); c3_1 = a3.fma(b1, c3_1);
        }
        if (beta == 0f) {
            c0_0.mul(alpha).intoArray(c, cOffset); c0_1.mul(alpha).intoArray(c, cOffset + L);
            c1_0.mul(alpha).intoArray(c, cOffset + 1 * ldc); c1_1.mul(alpha).intoArray(c, cOffset + 1 * ldc + L);
            c2_0.mul(alpha).intoArray(c, cOffset + 2 * ldc); c2_1.mul(alpha).intoArray(c, cOffset + 2 * ldc + L);
            c3_0.mul(alpha).intoArray(c, cOffset + 3 * ldc); c3_1.mul(alpha).intoArray(c, cOffset + 3 * ldc + L);
        } else {
            FloatVector va = FloatVector.broadcast(S, alpha);
            c0_0.fma(va, FloatVector.fromArray(S, c, cOffset).mul(beta)).intoArray(c, cOffset);
            c0_1.fma(va, FloatVector.fromArray(S, c, cOffset + L).mul(beta)).intoArray(c, cOffset + L);
            c1_0.fma(va, FloatVector.fromArray(S, c, cOffset + 1 * ldc).mul(beta)).intoArray(c, cOffset + 1 * ldc);
            c1_1.fma(va, FloatVector.fromArray(S, c, cOffset + 1 * ldc + L).mul(beta)).intoArray(c, cOffset + 1 * ldc + L);
            c2_0.fma(va, FloatVector.fromArray(S, c, cOffset + 2 * ldc).mul(beta)).intoArray(c, cOffset + 2 * ldc);
            c2_1.fma(va, FloatVector.fromArray(S, c, cOffset + 2 * ldc + L).mul(beta)).intoArray(c, cOffset + 2 * ldc + L);
            c3_0.fma(va, FloatVector.fromArray(S, c, cOffset + 3 * ldc).mul(beta)).intoArray(c, cOffset + 3 * ldc);
            c3_1.fma(va, FloatVector.fromArray(S, c, cOffset + 3 * ldc + L).mul(beta)).intoArray(c, cOffset + 3 * ldc + L);
        }
    }
}
