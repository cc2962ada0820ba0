package org.rankfold.kernels.cpu.gemm;

/**
 * 4 x 4 register tile in plain scalar Java: the {@code rankfold.simd.bits=0} path and the baseline the
 * vector kernels are measured against. Same contract and rounding as the vector kernels (one
 * {@link Math#fma} chain per element), so it gives bit-identical results to them.
 */
public final class MicroKernel4x4Scalar implements MicroKernel {
    private static final int MR = 4;
    private static final int NR = 4;

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
        return 0;
    }

    @Override
    public void packRow(int panels, float[] b, int src, float[] dst, int dstOffset, int panelStride) {
        for (int t = 0; t < panels; t++) {
            int s = src + t * NR;
            int d = dstOffset + t * panelStride;
            dst[d] = b[s];
            dst[d + 1] = b[s + 1];
            dst[d + 2] = b[s + 2];
            dst[d + 3] = b[s + 3];
        }
    }

    @Override
    public void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset,
                         float alpha, float beta, float[] c, int cOffset, int ldc) {
        float c00 = 0f; float c01 = 0f; float c02 = 0f; float c03 = 0f;
        float c10 = 0f; float c11 = 0f; float c12 = 0f; float c13 = 0f;
        float c20 = 0f; float c21 = 0f; float c22 = 0f; float c23 = 0f;
        float c30 = 0f; float c31 = 0f; float c32 = 0f; float c33 = 0f;
        // k: one rank-1 update of the tile per step
        for (int p = 0; p < kc; p++) {
            int ai = aOffset + p * MR;
            int bi = bOffset + p * NR;
            float b0 = b[bi]; float b1 = b[bi + 1]; float b2 = b[bi + 2]; float b3 = b[bi + 3];
            float a0 = a[ai];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01); c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            float a1 = a[ai + 1];
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11); c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            float a2 = a[ai + 2];
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21); c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            float a3 = a[ai + 3];
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31); c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        int r0 = cOffset;
        int r1 = cOffset + 1 * ldc;
        int r2 = cOffset + 2 * ldc;
        int r3 = cOffset + 3 * ldc;
        if (beta == 0f) {
            c[r0] = c00 * alpha; c[r0 + 1] = c01 * alpha; c[r0 + 2] = c02 * alpha; c[r0 + 3] = c03 * alpha;
            c[r1] = c10 * alpha; c[r1 + 1] = c11 * alpha; c[r1 + 2] = c12 * alpha; c[r1 + 3] = c13 * alpha;
            c[r2] = c20 * alpha; c[r2 + 1] = c21 * alpha; c[r2 + 2] = c22 * alpha; c[r2 + 3] = c23 * alpha;
            c[r3] = c30 * alpha; c[r3 + 1] = c31 * alpha; c[r3 + 2] = c32 * alpha; c[r3 + 3] = c33 * alpha;
        } else {
            c[r0] = Math.fma(c00, alpha, beta * c[r0]);
            c[r0 + 1] = Math.fma(c01, alpha, beta * c[r0 + 1]);
            c[r0 + 2] = Math.fma(c02, alpha, beta * c[r0 + 2]);
            c[r0 + 3] = Math.fma(c03, alpha, beta * c[r0 + 3]);
            c[r1] = Math.fma(c10, alpha, beta * c[r1]);
            c[r1 + 1] = Math.fma(c11, alpha, beta * c[r1 + 1]);
            c[r1 + 2] = Math.fma(c12, alpha, beta * c[r1 + 2]);
            c[r1 + 3] = Math.fma(c13, alpha, beta * c[r1 + 3]);
            c[r2] = Math.fma(c20, alpha, beta * c[r2]);
            c[r2 + 1] = Math.fma(c21, alpha, beta * c[r2 + 1]);
            c[r2 + 2] = Math.fma(c22, alpha, beta * c[r2 + 2]);
            c[r2 + 3] = Math.fma(c23, alpha, beta * c[r2 + 3]);
            c[r3] = Math.fma(c30, alpha, beta * c[r3]);
            c[r3 + 1] = Math.fma(c31, alpha, beta * c[r3 + 1]);
            c[r3 + 2] = Math.fma(c32, alpha, beta * c[r3 + 2]);
            c[r3 + 3] = Math.fma(c33, alpha, beta * c[r3 + 3]);
        }
    }
}
