package org.rankfold.kernels.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.GemmEpilogue;

/**
 * The GEMM for few rows (M of 1 to {@link #MAX_M}: the 1x1 and KxK factors of a compressed convolution, whose
 * ranks are 4-16) with B stored K x N (not transposed) and K within one k-block. The blocked path packs B
 * into panels on every call, and with so few rows each packed element is used only M times: the copy costs
 * about as much as the product, and its 8- or 12-row register tiles compute mostly padding. Here B is read
 * in place: for a strip of {@link #STRIP_VECTORS} vectors of columns, groups of 4, 2 and 1 rows keep their
 * accumulators in registers while p runs over K, loading B's row segment once per group (the first group
 * brings the strip into L1, the next ones find it there) and broadcasting A's element (i, p).
 *
 * <p>Every element is computed exactly as the blocked path computes it when K fits one k-block: one fused
 * multiply-add chain over p = 0..K-1 in ascending order starting from zero, stored with the micro-kernel's
 * formulas ({@code acc*alpha} when beta is 0, else {@code fma(acc, alpha, beta*C)}), then the epilogue on
 * the strip while it is in L1. So results do not depend on which path, width or thread count computed them.
 * Columns after the last whole strip are left to the caller (the blocked path, which gives the same bits).
 */
final class SmallM {
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    /** Most rows taken by this path. */
    static final int MAX_M = 16;
    /** Vectors of columns per strip: 4 rows x 4 vectors is 16 accumulators plus 4 B vectors in registers. */
    static final int STRIP_VECTORS = 4;
    /**
     * Largest B strip (K x strip floats) for more than 8 rows: the first row group brings the strip into L1
     * and the others read it there, so with 3-4 groups a strip that leaves a 48 KiB L1 loses to the blocked
     * path's packed panels (measured: M = 16 at K = 160 level, at K = 256 and 320 10-30% slower at 512 bits).
     */
    static final int MAX_SHARED_STRIP_BYTES = 40 * 1024;

    private SmallM() {
    }

    /** Columns of one strip at a vector width in bits. */
    static int stripColumns(int vectorBits) {
        return STRIP_VECTORS * (vectorBits / 32);
    }

    /**
     * Whether a call takes this path: a vector width, B not transposed, M of at most {@link #MAX_M}, K within
     * one k-block of depth kc (no k-splitting, so one chain per element as here), at least one whole strip,
     * and for more than 8 rows a strip of at most {@link #MAX_SHARED_STRIP_BYTES}.
     */
    static boolean applies(int vectorBits, boolean tb, int m, int n, int k, int kc) {
        if (vectorBits == 0 || tb || m > MAX_M || k > kc || n < stripColumns(vectorBits)) {
            return false;
        }
        return m <= 8 || (long) k * stripColumns(vectorBits) * Float.BYTES <= MAX_SHARED_STRIP_BYTES;
    }

    /**
     * All M rows of C at columns [n0, n1), where n1 - n0 is a whole number of strips; stage applies ep
     * (or null) to each strip right after it is stored.
     */
    static void multiply(int vectorBits, EpilogueStage stage, boolean ta, int m, int n0, int n1, int k, float alpha,
                         float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                         float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        multiply(vectorBits, stage, ta, m, n0, n1, k, alpha, a, aOffset, lda, b, bOffset, ldb, null, beta, c, cOffset,
                ldc, ep);
    }

    /**
     * As above with B's row p at {@code b[bOffset + rowAt[p]]} instead of {@code bOffset + p*ldb} when rowAt is
     * not null: the rows of a convolution's B on a {@link PaddedGrid} are shifted runs of the grid, read in place.
     */
    static void multiply(int vectorBits, EpilogueStage stage, boolean ta, int m, int n0, int n1, int k, float alpha,
                         float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, int[] rowAt,
                         float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        int w = stripColumns(vectorBits);
        // A's element (i, p) is at aOffset + i*ars + p*aps in either layout: no copy of A is needed
        int ars = ta ? 1 : lda;
        int aps = ta ? lda : 1;
        for (int j = n0; j < n1; j += w) {
            int bi = bOffset + j;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                group(vectorBits, 4, k, a, aOffset + i * ars, ars, aps, b, bi, ldb, rowAt, alpha, beta, c,
                        cOffset + i * ldc + j, ldc);
            }
            if (i + 2 <= m) {
                group(vectorBits, 2, k, a, aOffset + i * ars, ars, aps, b, bi, ldb, rowAt, alpha, beta, c,
                        cOffset + i * ldc + j, ldc);
                i += 2;
            }
            if (i < m) {
                group(vectorBits, 1, k, a, aOffset + i * ars, ars, aps, b, bi, ldb, rowAt, alpha, beta, c,
                        cOffset + i * ldc + j, ldc);
            }
            if (ep != null) {
                stage.apply(ep, m, w, c, cOffset + j, ldc, 0, j);
            }
        }
    }

    /**
     * The first column of part t when parts threads split strips whole strips of width columns evenly (part
     * t takes [partStart(t), partStart(t + 1))).
     */
    static int partStart(int strips, int parts, int t, int width) {
        return (int) ((long) strips * t / parts) * width;
    }

    /**
     * One group of rows x one strip. Each width and row count has its own method with the species as a static
     * constant and the accumulators as locals, so C2 intrinsifies the Vector API calls and keeps the
     * accumulators in registers (an array of vectors would live in memory).
     */
    private static void group(int vectorBits, int rows, int k, float[] a, int ai, int ars, int aps, float[] b, int bi,
                              int ldb, int[] rowAt, float alpha, float beta, float[] c, int ci, int ldc) {
        switch (vectorBits) {
            case 512 -> {
                switch (rows) {
                    case 4 -> rows4x512(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    case 2 -> rows2x512(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    default -> rows1x512(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                }
            }
            case 256 -> {
                switch (rows) {
                    case 4 -> rows4x256(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    case 2 -> rows2x256(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    default -> rows1x256(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                }
            }
            default -> {
                switch (rows) {
                    case 4 -> rows4x128(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    case 2 -> rows2x128(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                    default -> rows1x128(k, a, ai, ars, aps, b, bi, ldb, rowAt, alpha, beta, c, ci, ldc);
                }
            }
        }
    }

    // The kernels below differ only in width (species, vector length) and row count.

    private static void rows4x512(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S512); FloatVector c01 = FloatVector.zero(S512);
        FloatVector c02 = FloatVector.zero(S512); FloatVector c03 = FloatVector.zero(S512);
        FloatVector c10 = FloatVector.zero(S512); FloatVector c11 = FloatVector.zero(S512);
        FloatVector c12 = FloatVector.zero(S512); FloatVector c13 = FloatVector.zero(S512);
        FloatVector c20 = FloatVector.zero(S512); FloatVector c21 = FloatVector.zero(S512);
        FloatVector c22 = FloatVector.zero(S512); FloatVector c23 = FloatVector.zero(S512);
        FloatVector c30 = FloatVector.zero(S512); FloatVector c31 = FloatVector.zero(S512);
        FloatVector c32 = FloatVector.zero(S512); FloatVector c33 = FloatVector.zero(S512);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S512, b, bp);
            FloatVector b1 = FloatVector.fromArray(S512, b, bp + 16);
            FloatVector b2 = FloatVector.fromArray(S512, b, bp + 32);
            FloatVector b3 = FloatVector.fromArray(S512, b, bp + 48);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S512, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S512, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S512, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S512, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 16);
            c02.mul(alpha).intoArray(c, ci + 32); c03.mul(alpha).intoArray(c, ci + 48);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 16);
            c12.mul(alpha).intoArray(c, ci + ldc + 32); c13.mul(alpha).intoArray(c, ci + ldc + 48);
            c20.mul(alpha).intoArray(c, ci + 2 * ldc); c21.mul(alpha).intoArray(c, ci + 2 * ldc + 16);
            c22.mul(alpha).intoArray(c, ci + 2 * ldc + 32); c23.mul(alpha).intoArray(c, ci + 2 * ldc + 48);
            c30.mul(alpha).intoArray(c, ci + 3 * ldc); c31.mul(alpha).intoArray(c, ci + 3 * ldc + 16);
            c32.mul(alpha).intoArray(c, ci + 3 * ldc + 32); c33.mul(alpha).intoArray(c, ci + 3 * ldc + 48);
        } else {
            FloatVector va = FloatVector.broadcast(S512, alpha);
            c00.fma(va, FloatVector.fromArray(S512, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S512, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c02.fma(va, FloatVector.fromArray(S512, c, ci + 32).mul(beta)).intoArray(c, ci + 32);
            c03.fma(va, FloatVector.fromArray(S512, c, ci + 48).mul(beta)).intoArray(c, ci + 48);
            c10.fma(va, FloatVector.fromArray(S512, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 16).mul(beta)).intoArray(c, ci + ldc + 16);
            c12.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 32).mul(beta)).intoArray(c, ci + ldc + 32);
            c13.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 48).mul(beta)).intoArray(c, ci + ldc + 48);
            c20.fma(va, FloatVector.fromArray(S512, c, ci + 2 * ldc).mul(beta)).intoArray(c, ci + 2 * ldc);
            c21.fma(va, FloatVector.fromArray(S512, c, ci + 2 * ldc + 16).mul(beta)).intoArray(c, ci + 2 * ldc + 16);
            c22.fma(va, FloatVector.fromArray(S512, c, ci + 2 * ldc + 32).mul(beta)).intoArray(c, ci + 2 * ldc + 32);
            c23.fma(va, FloatVector.fromArray(S512, c, ci + 2 * ldc + 48).mul(beta)).intoArray(c, ci + 2 * ldc + 48);
            c30.fma(va, FloatVector.fromArray(S512, c, ci + 3 * ldc).mul(beta)).intoArray(c, ci + 3 * ldc);
            c31.fma(va, FloatVector.fromArray(S512, c, ci + 3 * ldc + 16).mul(beta)).intoArray(c, ci + 3 * ldc + 16);
            c32.fma(va, FloatVector.fromArray(S512, c, ci + 3 * ldc + 32).mul(beta)).intoArray(c, ci + 3 * ldc + 32);
            c33.fma(va, FloatVector.fromArray(S512, c, ci + 3 * ldc + 48).mul(beta)).intoArray(c, ci + 3 * ldc + 48);
        }
    }

    private static void rows2x512(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S512); FloatVector c01 = FloatVector.zero(S512);
        FloatVector c02 = FloatVector.zero(S512); FloatVector c03 = FloatVector.zero(S512);
        FloatVector c10 = FloatVector.zero(S512); FloatVector c11 = FloatVector.zero(S512);
        FloatVector c12 = FloatVector.zero(S512); FloatVector c13 = FloatVector.zero(S512);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S512, b, bp);
            FloatVector b1 = FloatVector.fromArray(S512, b, bp + 16);
            FloatVector b2 = FloatVector.fromArray(S512, b, bp + 32);
            FloatVector b3 = FloatVector.fromArray(S512, b, bp + 48);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S512, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S512, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 16);
            c02.mul(alpha).intoArray(c, ci + 32); c03.mul(alpha).intoArray(c, ci + 48);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 16);
            c12.mul(alpha).intoArray(c, ci + ldc + 32); c13.mul(alpha).intoArray(c, ci + ldc + 48);
        } else {
            FloatVector va = FloatVector.broadcast(S512, alpha);
            c00.fma(va, FloatVector.fromArray(S512, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S512, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c02.fma(va, FloatVector.fromArray(S512, c, ci + 32).mul(beta)).intoArray(c, ci + 32);
            c03.fma(va, FloatVector.fromArray(S512, c, ci + 48).mul(beta)).intoArray(c, ci + 48);
            c10.fma(va, FloatVector.fromArray(S512, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 16).mul(beta)).intoArray(c, ci + ldc + 16);
            c12.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 32).mul(beta)).intoArray(c, ci + ldc + 32);
            c13.fma(va, FloatVector.fromArray(S512, c, ci + ldc + 48).mul(beta)).intoArray(c, ci + ldc + 48);
        }
    }

    private static void rows1x512(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S512); FloatVector c01 = FloatVector.zero(S512);
        FloatVector c02 = FloatVector.zero(S512); FloatVector c03 = FloatVector.zero(S512);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S512, b, bp);
            FloatVector b1 = FloatVector.fromArray(S512, b, bp + 16);
            FloatVector b2 = FloatVector.fromArray(S512, b, bp + 32);
            FloatVector b3 = FloatVector.fromArray(S512, b, bp + 48);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S512, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 16);
            c02.mul(alpha).intoArray(c, ci + 32); c03.mul(alpha).intoArray(c, ci + 48);
        } else {
            FloatVector va = FloatVector.broadcast(S512, alpha);
            c00.fma(va, FloatVector.fromArray(S512, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S512, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c02.fma(va, FloatVector.fromArray(S512, c, ci + 32).mul(beta)).intoArray(c, ci + 32);
            c03.fma(va, FloatVector.fromArray(S512, c, ci + 48).mul(beta)).intoArray(c, ci + 48);
        }
    }

    private static void rows4x256(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S256); FloatVector c01 = FloatVector.zero(S256);
        FloatVector c02 = FloatVector.zero(S256); FloatVector c03 = FloatVector.zero(S256);
        FloatVector c10 = FloatVector.zero(S256); FloatVector c11 = FloatVector.zero(S256);
        FloatVector c12 = FloatVector.zero(S256); FloatVector c13 = FloatVector.zero(S256);
        FloatVector c20 = FloatVector.zero(S256); FloatVector c21 = FloatVector.zero(S256);
        FloatVector c22 = FloatVector.zero(S256); FloatVector c23 = FloatVector.zero(S256);
        FloatVector c30 = FloatVector.zero(S256); FloatVector c31 = FloatVector.zero(S256);
        FloatVector c32 = FloatVector.zero(S256); FloatVector c33 = FloatVector.zero(S256);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S256, b, bp);
            FloatVector b1 = FloatVector.fromArray(S256, b, bp + 8);
            FloatVector b2 = FloatVector.fromArray(S256, b, bp + 16);
            FloatVector b3 = FloatVector.fromArray(S256, b, bp + 24);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S256, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S256, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S256, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S256, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 8);
            c02.mul(alpha).intoArray(c, ci + 16); c03.mul(alpha).intoArray(c, ci + 24);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 8);
            c12.mul(alpha).intoArray(c, ci + ldc + 16); c13.mul(alpha).intoArray(c, ci + ldc + 24);
            c20.mul(alpha).intoArray(c, ci + 2 * ldc); c21.mul(alpha).intoArray(c, ci + 2 * ldc + 8);
            c22.mul(alpha).intoArray(c, ci + 2 * ldc + 16); c23.mul(alpha).intoArray(c, ci + 2 * ldc + 24);
            c30.mul(alpha).intoArray(c, ci + 3 * ldc); c31.mul(alpha).intoArray(c, ci + 3 * ldc + 8);
            c32.mul(alpha).intoArray(c, ci + 3 * ldc + 16); c33.mul(alpha).intoArray(c, ci + 3 * ldc + 24);
        } else {
            FloatVector va = FloatVector.broadcast(S256, alpha);
            c00.fma(va, FloatVector.fromArray(S256, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S256, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c02.fma(va, FloatVector.fromArray(S256, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c03.fma(va, FloatVector.fromArray(S256, c, ci + 24).mul(beta)).intoArray(c, ci + 24);
            c10.fma(va, FloatVector.fromArray(S256, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 8).mul(beta)).intoArray(c, ci + ldc + 8);
            c12.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 16).mul(beta)).intoArray(c, ci + ldc + 16);
            c13.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 24).mul(beta)).intoArray(c, ci + ldc + 24);
            c20.fma(va, FloatVector.fromArray(S256, c, ci + 2 * ldc).mul(beta)).intoArray(c, ci + 2 * ldc);
            c21.fma(va, FloatVector.fromArray(S256, c, ci + 2 * ldc + 8).mul(beta)).intoArray(c, ci + 2 * ldc + 8);
            c22.fma(va, FloatVector.fromArray(S256, c, ci + 2 * ldc + 16).mul(beta)).intoArray(c, ci + 2 * ldc + 16);
            c23.fma(va, FloatVector.fromArray(S256, c, ci + 2 * ldc + 24).mul(beta)).intoArray(c, ci + 2 * ldc + 24);
            c30.fma(va, FloatVector.fromArray(S256, c, ci + 3 * ldc).mul(beta)).intoArray(c, ci + 3 * ldc);
            c31.fma(va, FloatVector.fromArray(S256, c, ci + 3 * ldc + 8).mul(beta)).intoArray(c, ci + 3 * ldc + 8);
            c32.fma(va, FloatVector.fromArray(S256, c, ci + 3 * ldc + 16).mul(beta)).intoArray(c, ci + 3 * ldc + 16);
            c33.fma(va, FloatVector.fromArray(S256, c, ci + 3 * ldc + 24).mul(beta)).intoArray(c, ci + 3 * ldc + 24);
        }
    }

    private static void rows2x256(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S256); FloatVector c01 = FloatVector.zero(S256);
        FloatVector c02 = FloatVector.zero(S256); FloatVector c03 = FloatVector.zero(S256);
        FloatVector c10 = FloatVector.zero(S256); FloatVector c11 = FloatVector.zero(S256);
        FloatVector c12 = FloatVector.zero(S256); FloatVector c13 = FloatVector.zero(S256);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S256, b, bp);
            FloatVector b1 = FloatVector.fromArray(S256, b, bp + 8);
            FloatVector b2 = FloatVector.fromArray(S256, b, bp + 16);
            FloatVector b3 = FloatVector.fromArray(S256, b, bp + 24);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S256, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S256, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 8);
            c02.mul(alpha).intoArray(c, ci + 16); c03.mul(alpha).intoArray(c, ci + 24);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 8);
            c12.mul(alpha).intoArray(c, ci + ldc + 16); c13.mul(alpha).intoArray(c, ci + ldc + 24);
        } else {
            FloatVector va = FloatVector.broadcast(S256, alpha);
            c00.fma(va, FloatVector.fromArray(S256, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S256, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c02.fma(va, FloatVector.fromArray(S256, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c03.fma(va, FloatVector.fromArray(S256, c, ci + 24).mul(beta)).intoArray(c, ci + 24);
            c10.fma(va, FloatVector.fromArray(S256, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 8).mul(beta)).intoArray(c, ci + ldc + 8);
            c12.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 16).mul(beta)).intoArray(c, ci + ldc + 16);
            c13.fma(va, FloatVector.fromArray(S256, c, ci + ldc + 24).mul(beta)).intoArray(c, ci + ldc + 24);
        }
    }

    private static void rows1x256(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S256); FloatVector c01 = FloatVector.zero(S256);
        FloatVector c02 = FloatVector.zero(S256); FloatVector c03 = FloatVector.zero(S256);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S256, b, bp);
            FloatVector b1 = FloatVector.fromArray(S256, b, bp + 8);
            FloatVector b2 = FloatVector.fromArray(S256, b, bp + 16);
            FloatVector b3 = FloatVector.fromArray(S256, b, bp + 24);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S256, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 8);
            c02.mul(alpha).intoArray(c, ci + 16); c03.mul(alpha).intoArray(c, ci + 24);
        } else {
            FloatVector va = FloatVector.broadcast(S256, alpha);
            c00.fma(va, FloatVector.fromArray(S256, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S256, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c02.fma(va, FloatVector.fromArray(S256, c, ci + 16).mul(beta)).intoArray(c, ci + 16);
            c03.fma(va, FloatVector.fromArray(S256, c, ci + 24).mul(beta)).intoArray(c, ci + 24);
        }
    }

    private static void rows4x128(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S128); FloatVector c01 = FloatVector.zero(S128);
        FloatVector c02 = FloatVector.zero(S128); FloatVector c03 = FloatVector.zero(S128);
        FloatVector c10 = FloatVector.zero(S128); FloatVector c11 = FloatVector.zero(S128);
        FloatVector c12 = FloatVector.zero(S128); FloatVector c13 = FloatVector.zero(S128);
        FloatVector c20 = FloatVector.zero(S128); FloatVector c21 = FloatVector.zero(S128);
        FloatVector c22 = FloatVector.zero(S128); FloatVector c23 = FloatVector.zero(S128);
        FloatVector c30 = FloatVector.zero(S128); FloatVector c31 = FloatVector.zero(S128);
        FloatVector c32 = FloatVector.zero(S128); FloatVector c33 = FloatVector.zero(S128);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S128, b, bp);
            FloatVector b1 = FloatVector.fromArray(S128, b, bp + 4);
            FloatVector b2 = FloatVector.fromArray(S128, b, bp + 8);
            FloatVector b3 = FloatVector.fromArray(S128, b, bp + 12);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S128, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S128, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S128, a[ap + 2 * ars]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22); c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S128, a[ap + 3 * ars]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32); c33 = a3.fma(b3, c33);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 4);
            c02.mul(alpha).intoArray(c, ci + 8); c03.mul(alpha).intoArray(c, ci + 12);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 4);
            c12.mul(alpha).intoArray(c, ci + ldc + 8); c13.mul(alpha).intoArray(c, ci + ldc + 12);
            c20.mul(alpha).intoArray(c, ci + 2 * ldc); c21.mul(alpha).intoArray(c, ci + 2 * ldc + 4);
            c22.mul(alpha).intoArray(c, ci + 2 * ldc + 8); c23.mul(alpha).intoArray(c, ci + 2 * ldc + 12);
            c30.mul(alpha).intoArray(c, ci + 3 * ldc); c31.mul(alpha).intoArray(c, ci + 3 * ldc + 4);
            c32.mul(alpha).intoArray(c, ci + 3 * ldc + 8); c33.mul(alpha).intoArray(c, ci + 3 * ldc + 12);
        } else {
            FloatVector va = FloatVector.broadcast(S128, alpha);
            c00.fma(va, FloatVector.fromArray(S128, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S128, c, ci + 4).mul(beta)).intoArray(c, ci + 4);
            c02.fma(va, FloatVector.fromArray(S128, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c03.fma(va, FloatVector.fromArray(S128, c, ci + 12).mul(beta)).intoArray(c, ci + 12);
            c10.fma(va, FloatVector.fromArray(S128, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 4).mul(beta)).intoArray(c, ci + ldc + 4);
            c12.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 8).mul(beta)).intoArray(c, ci + ldc + 8);
            c13.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 12).mul(beta)).intoArray(c, ci + ldc + 12);
            c20.fma(va, FloatVector.fromArray(S128, c, ci + 2 * ldc).mul(beta)).intoArray(c, ci + 2 * ldc);
            c21.fma(va, FloatVector.fromArray(S128, c, ci + 2 * ldc + 4).mul(beta)).intoArray(c, ci + 2 * ldc + 4);
            c22.fma(va, FloatVector.fromArray(S128, c, ci + 2 * ldc + 8).mul(beta)).intoArray(c, ci + 2 * ldc + 8);
            c23.fma(va, FloatVector.fromArray(S128, c, ci + 2 * ldc + 12).mul(beta)).intoArray(c, ci + 2 * ldc + 12);
            c30.fma(va, FloatVector.fromArray(S128, c, ci + 3 * ldc).mul(beta)).intoArray(c, ci + 3 * ldc);
            c31.fma(va, FloatVector.fromArray(S128, c, ci + 3 * ldc + 4).mul(beta)).intoArray(c, ci + 3 * ldc + 4);
            c32.fma(va, FloatVector.fromArray(S128, c, ci + 3 * ldc + 8).mul(beta)).intoArray(c, ci + 3 * ldc + 8);
            c33.fma(va, FloatVector.fromArray(S128, c, ci + 3 * ldc + 12).mul(beta)).intoArray(c, ci + 3 * ldc + 12);
        }
    }

    private static void rows2x128(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S128); FloatVector c01 = FloatVector.zero(S128);
        FloatVector c02 = FloatVector.zero(S128); FloatVector c03 = FloatVector.zero(S128);
        FloatVector c10 = FloatVector.zero(S128); FloatVector c11 = FloatVector.zero(S128);
        FloatVector c12 = FloatVector.zero(S128); FloatVector c13 = FloatVector.zero(S128);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S128, b, bp);
            FloatVector b1 = FloatVector.fromArray(S128, b, bp + 4);
            FloatVector b2 = FloatVector.fromArray(S128, b, bp + 8);
            FloatVector b3 = FloatVector.fromArray(S128, b, bp + 12);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S128, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S128, a[ap + ars]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12); c13 = a1.fma(b3, c13);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 4);
            c02.mul(alpha).intoArray(c, ci + 8); c03.mul(alpha).intoArray(c, ci + 12);
            c10.mul(alpha).intoArray(c, ci + ldc); c11.mul(alpha).intoArray(c, ci + ldc + 4);
            c12.mul(alpha).intoArray(c, ci + ldc + 8); c13.mul(alpha).intoArray(c, ci + ldc + 12);
        } else {
            FloatVector va = FloatVector.broadcast(S128, alpha);
            c00.fma(va, FloatVector.fromArray(S128, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S128, c, ci + 4).mul(beta)).intoArray(c, ci + 4);
            c02.fma(va, FloatVector.fromArray(S128, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c03.fma(va, FloatVector.fromArray(S128, c, ci + 12).mul(beta)).intoArray(c, ci + 12);
            c10.fma(va, FloatVector.fromArray(S128, c, ci + ldc).mul(beta)).intoArray(c, ci + ldc);
            c11.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 4).mul(beta)).intoArray(c, ci + ldc + 4);
            c12.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 8).mul(beta)).intoArray(c, ci + ldc + 8);
            c13.fma(va, FloatVector.fromArray(S128, c, ci + ldc + 12).mul(beta)).intoArray(c, ci + ldc + 12);
        }
    }

    private static void rows1x128(int k, float[] a, int ai, int ars, int aps, float[] b, int bi, int ldb, int[] rowAt,
                                   float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(S128); FloatVector c01 = FloatVector.zero(S128);
        FloatVector c02 = FloatVector.zero(S128); FloatVector c03 = FloatVector.zero(S128);
        for (int p = 0; p < k; p++) {
            int bp = bi + (rowAt == null ? p * ldb : rowAt[p]);
            FloatVector b0 = FloatVector.fromArray(S128, b, bp);
            FloatVector b1 = FloatVector.fromArray(S128, b, bp + 4);
            FloatVector b2 = FloatVector.fromArray(S128, b, bp + 8);
            FloatVector b3 = FloatVector.fromArray(S128, b, bp + 12);
            int ap = ai + p * aps;
            FloatVector a0 = FloatVector.broadcast(S128, a[ap]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02); c03 = a0.fma(b3, c03);
        }
        if (beta == 0f) {
            c00.mul(alpha).intoArray(c, ci); c01.mul(alpha).intoArray(c, ci + 4);
            c02.mul(alpha).intoArray(c, ci + 8); c03.mul(alpha).intoArray(c, ci + 12);
        } else {
            FloatVector va = FloatVector.broadcast(S128, alpha);
            c00.fma(va, FloatVector.fromArray(S128, c, ci).mul(beta)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S128, c, ci + 4).mul(beta)).intoArray(c, ci + 4);
            c02.fma(va, FloatVector.fromArray(S128, c, ci + 8).mul(beta)).intoArray(c, ci + 8);
            c03.fma(va, FloatVector.fromArray(S128, c, ci + 12).mul(beta)).intoArray(c, ci + 12);
        }
    }
}
