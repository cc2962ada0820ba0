package org.rankfold.kernels.cpu.gemm.lab;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.rankfold.kernels.cpu.gemm.MicroKernel;

/**
 * Experiment (test code), not used by {@link org.rankfold.kernels.cpu.gemm.GemmConfig}: 28 accumulators leave C2 too few of
 * the 32 vector registers (likely spills): 0.5-0.9x MicroKernel12x32 at 1024^3 on Zen 5, noisy machine. Kept so the
 * result can be re-checked on other CPUs (it passes the micro-kernel contract).
 *
 * <p>14 x 32 register tile on 512-bit vectors (2 vectors of 16 floats per row, 28 accumulators).
 * a is a packed A micro-panel (KC x MR, 14 floats per k), b a packed B micro-panel (KC x NR, 32 floats
 * per k); C is row-major with leading dimension ldc. Each C element is one fused multiply-add chain over
 * k in ascending order, so the result does not depend on blocking or threads.
 *
 * <p>Rows are unrolled by hand: the accumulators must be locals so C2 keeps them
 * in registers (an array of vectors would be spilled to memory).
 */
public final class MicroKernel14x32 implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int MR = 14;
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
        FloatVector c4_0 = FloatVector.zero(S); FloatVector c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S); FloatVector c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S); FloatVector c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S); FloatVector c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S); FloatVector c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S); FloatVector c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S); FloatVector c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S); FloatVector c11_1 = FloatVector.zero(S);
        FloatVector c12_0 = FloatVector.zero(S); FloatVector c12_1 = FloatVector.zero(S);
        FloatVector c13_0 = FloatVector.zero(S); FloatVector c13_1 = FloatVector.zero(S);
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
            FloatVector a4 = FloatVector.broadcast(S, a[ai + 4]);
            c4_0 = a4.fma(b0, c4_0); c4_1 = a4.fma(b1, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, a[ai + 5]);
            c5_0 = a5.fma(b0, c5_0); c5_1 = a5.fma(b1, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, a[ai + 6]);
            c6_0 = a6.fma(b0, c6_0); c6_1 = a6.fma(b1, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, a[ai + 7]);
            c7_0 = a7.fma(b0, c7_0); c7_1 = a7.fma(b1, c7_1);
            FloatVector a8 = FloatVector.broadcast(S, a[ai + 8]);
            c8_0 = a8.fma(b0, c8_0); c8_1 = a8.fma(b1, c8_1);
            FloatVector a9 = FloatVector.broadcast(S, a[ai + 9]);
            c9_0 = a9.fma(b0, c9_0); c9_1 = a9.fma(b1, c9_1);
            FloatVector a10 = FloatVector.broadcast(S, a[ai + 10]);
            c10_0 = a10.fma(b0, c10_0); c10_1 = a10.fma(b1, c10_1);
            FloatVector a11 = FloatVector.broadcast(S, a[ai + 11]);
            c11_0 = a11.fma(b0, c11_0); c11_1 = a11.fma(b1, c11_1);
            FloatVector a12 = FloatVector.broadcast(S, a[ai + 12]);
            c12_0 = a12.fma(b0, c12_0); c12_1 = a12.fma(b1, c12_1);
            FloatVector a13 = FloatVector.broadcast(S, a[ai + 13]);
            c13_0 = a13.fma(b0, c13_0); c13_1 = a13.fma(b1, c13_1);
        }
        if (beta == 0f) {
            c0_0.mul(alpha).intoArray(c, cOffset); c0_1.mul(alpha).intoArray(c, cOffset + L);
            c1_0.mul(alpha).intoArray(c, cOffset + 1 * ldc); c1_1.mul(alpha).intoArray(c, cOffset + 1 * ldc + L);
            c2_0.mul(alpha).intoArray(c, cOffset + 2 * ldc); c2_1.mul(alpha).intoArray(c, cOffset + 2 * ldc + L);
            c3_0.mul(alpha).intoArray(c, cOffset + 3 * ldc); c3_1.mul(alpha).intoArray(c, cOffset + 3 * ldc + L);
            c4_0.mul(alpha).intoArray(c, cOffset + 4 * ldc); c4_1.mul(alpha).intoArray(c, cOffset + 4 * ldc + L);
            c5_0.mul(alpha).intoArray(c, cOffset + 5 * ldc); c5_1.mul(alpha).intoArray(c, cOffset + 5 * ldc + L);
            c6_0.mul(alpha).intoArray(c, cOffset + 6 * ldc); c6_1.mul(alpha).intoArray(c, cOffset + 6 * ldc + L);
            c7_0.mul(alpha).intoArray(c, cOffset + 7 * ldc); c7_1.mul(alpha).intoArray(c, cOffset + 7 * ldc + L);
            c8_0.mul(alpha).intoArray(c, cOffset + 8 * ldc); c8_1.mul(alpha).intoArray(c, cOffset + 8 * ldc + L);
            c9_0.mul(alpha).intoArray(c, cOffset + 9 * ldc); c9_1.mul(alpha).intoArray(c, cOffset + 9 * ldc + L);
            c10_0.mul(alpha).intoArray(c, cOffset + 10 * ldc); c10_1.mul(alpha).intoArray(c, cOffset + 10 * ldc + L);
            c11_0.mul(alpha).intoArray(c, cOffset + 11 * ldc); c11_1.mul(alpha).intoArray(c, cOffset + 11 * ldc + L);
            c12_0.mul(alpha).intoArray(c, cOffset + 12 * ldc); c12_1.mul(alpha).intoArray(c, cOffset + 12 * ldc + L);
            c13_0.mul(alpha).intoArray(c, cOffset + 13 * ldc); c13_1.mul(alpha).intoArray(c, cOffset + 13 * ldc + L);
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
            c4_0.fma(va, FloatVector.fromArray(S, c, cOffset + 4 * ldc).mul(beta)).intoArray(c, cOffset + 4 * ldc);
            c4_1.fma(va, FloatVector.fromArray(S, c, cOffset + 4 * ldc + L).mul(beta)).intoArray(c, cOffset + 4 * ldc + L);
            c5_0.fma(va, FloatVector.fromArray(S, c, cOffset + 5 * ldc).mul(beta)).intoArray(c, cOffset + 5 * ldc);
            c5_1.fma(va, FloatVector.fromArray(S, c, cOffset + 5 * ldc + L).mul(beta)).intoArray(c, cOffset + 5 * ldc + L);
            c6_0.fma(va, FloatVector.fromArray(S, c, cOffset + 6 * ldc).mul(beta)).intoArray(c, cOffset + 6 * ldc);
            c6_1.fma(va, FloatVector.fromArray(S, c, cOffset + 6 * ldc + L).mul(beta)).intoArray(c, cOffset + 6 * ldc + L);
            c7_0.fma(va, FloatVector.fromArray(S, c, cOffset + 7 * ldc).mul(beta)).intoArray(c, cOffset + 7 * ldc);
            c7_1.fma(va, FloatVector.fromArray(S, c, cOffset + 7 * ldc + L).mul(beta)).intoArray(c, cOffset + 7 * ldc + L);
            c8_0.fma(va, FloatVector.fromArray(S, c, cOffset + 8 * ldc).mul(beta)).intoArray(c, cOffset + 8 * ldc);
            c8_1.fma(va, FloatVector.fromArray(S, c, cOffset + 8 * ldc + L).mul(beta)).intoArray(c, cOffset + 8 * ldc + L);
            c9_0.fma(va, FloatVector.fromArray(S, c, cOffset + 9 * ldc).mul(beta)).intoArray(c, cOffset + 9 * ldc);
            c9_1.fma(va, FloatVector.fromArray(S, c, cOffset + 9 * ldc + L).mul(beta)).intoArray(c, cOffset + 9 * ldc + L);
            c10_0.fma(va, FloatVector.fromArray(S, c, cOffset + 10 * ldc).mul(beta)).intoArray(c, cOffset + 10 * ldc);
            c10_1.fma(va, FloatVector.fromArray(S, c, cOffset + 10 * ldc + L).mul(beta)).intoArray(c, cOffset + 10 * ldc + L);
            c11_0.fma(va, FloatVector.fromArray(S, c, cOffset + 11 * ldc).mul(beta)).intoArray(c, cOffset + 11 * ldc);
            c11_1.fma(va, FloatVector.fromArray(S, c, cOffset + 11 * ldc + L).mul(beta)).intoArray(c, cOffset + 11 * ldc + L);
            c12_0.fma(va, FloatVector.fromArray(S, c, cOffset + 12 * ldc).mul(beta)).intoArray(c, cOffset + 12 * ldc);
            c12_1.fma(va, FloatVector.fromArray(S, c, cOffset + 12 * ldc + L).mul(beta)).intoArray(c, cOffset + 12 * ldc + L);
            c13_0.fma(va, FloatVector.fromArray(S, c, cOffset + 13 * ldc).mul(beta)).intoArray(c, cOffset + 13 * ldc);
            c13_1.fma(va, FloatVector.fromArray(S, c, cOffset + 13 * ldc + L).mul(beta)).intoArray(c, cOffset + 13 * ldc + L);
        }
    }
}
