package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.GemmEpilogue;

/**
 * The GEMM for N of 1 to {@link #MAX_N} columns (a classifier at batch 1): the register tiles are NR = 32
 * columns wide, so such a product would compute mostly padding. Here vectors run along M instead: a panel
 * of L rows of A (L = the vector length) is packed k-major ({@link PackA}), and for each column of B one
 * vector accumulates the L rows' dot products, broadcasting B's element at each k.
 *
 * <p>Every element is computed exactly as the blocked GEMM computes it: K cut into the same equal k-blocks,
 * within a block one fused multiply-add chain in ascending k starting from zero, and the block's sum merged
 * into C with the micro-kernel's formulas ({@code acc*alpha} for the first block when beta is 0, else
 * {@code fma(acc, alpha, beta*C)}, beta 1 after the first block), then the epilogue on the last block. So a
 * column's values do not depend on how many columns the call had: an image's logits at batch 1 equal its
 * logits in a batch, bit for bit, and threads (which take whole panels of rows) change nothing.
 *
 * <p>When A is stored transposed (K x M), a whole panel's L rows at one k are L contiguous floats: such
 * panels are read in place, with the stored leading dimension as their step; a partial last panel too when
 * the array holds a whole vector from its last step on ({@link #readsInPlace}), else it is packed. This is
 * what makes a linear layer at batch 1 cheap when its weight is kept K x M (the inference plan does): packing
 * the row-major weight moved every element once per call, and cost more than the products. Reading in place
 * changes no value: the same elements enter the same chains.
 */
final class NarrowN {
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    /** Widest N taken by this path. */
    static final int MAX_N = 4;

    private NarrowN() {
    }

    /** Rows computed together for a vector width in bits. */
    static int groupRows(int vectorBits) {
        return vectorBits == 0 ? panelRows(0) : GROUP * panelRows(vectorBits);
    }

    /** Panel rows for a vector width in bits (0: scalar, 4 rows). */
    static int panelRows(int vectorBits) {
        return vectorBits == 0 ? 4 : vectorBits / 32;
    }

    /** Panels computed together: four independent fused multiply-add chains hide the FMA latency. */
    private static final int GROUP = 4;

    /**
     * Rows [m0, m1) of C; pack is scratch of at least GROUP * panelRows * kcStep floats, lanes of at least
     * GROUP * panelRows; ep (or null) on the last block.
     */
    static void multiply(int vectorBits, int kcStep, float[] pack, float[] lanes, Panels panels4, boolean ta, boolean tb,
                         int m0, int m1,
                         int n, int k, float alpha, float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                         float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        int panelRows = panelRows(vectorBits);
        int groupRows = vectorBits == 0 ? panelRows : GROUP * panelRows;
        float[][] src = panels4.source;
        int[] at = panels4.offset;
        int[] step = panels4.step;
        for (int r0 = m0; r0 < m1; r0 += groupRows) {
            int rows = Math.min(groupRows, m1 - r0);
            int panels = (rows + panelRows - 1) / panelRows;
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                GemmEpilogue epHere = pc + kc == k ? ep : null;
                if (vectorBits == 0) {
                    PackA.pack(ta, panelRows, a, aOffset, lda, r0, rows, pc, kc, pack);
                } else {
                    sources(ta, panelRows, panels, a, aOffset, lda, r0, rows, pc, kc, pack, src, at, step);
                }
                for (int j = 0; j < n; j++) {
                    int bAt = tb ? bOffset + j * ldb + pc : bOffset + pc * ldb + j;
                    int bStep = tb ? 1 : ldb;
                    if (vectorBits == 0) {
                        columnScalar(kc, pack, b, bAt, bStep, c, cOffset, ldc, r0, rows, j, alpha, betaHere, epHere);
                        continue;
                    }
                    dot(vectorBits, kc, src, at, step, b, bAt, bStep, lanes);
                    for (int i = 0; i < rows; i++) {
                        store(lanes[i], c, cOffset, ldc, r0 + i, j, alpha, betaHere, epHere);
                    }
                }
            }
        }
        Arrays.fill(src, null); // the workspace outlives the call: keep no caller's array alive
    }

    /** Where the four panels of a group are read from: per-thread scratch, so a call allocates nothing. */
    static final class Panels {
        final float[][] source = new float[GROUP][];
        final int[] offset = new int[GROUP];
        final int[] step = new int[GROUP];
    }

    /**
     * Where each panel of the group [r0, r0+rows) is read for the k-block [pc, pc+kc): in place in a
     * transposed A when the panel is whole, else packed k-major into pack (panel t at t*L*kc, step L).
     * Panels past the last recompute panel 0 (their lanes are not read).
     */
    private static void sources(boolean ta, int panelRows, int panels, float[] a, int aOffset, int lda, int r0, int rows,
                                int pc, int kc, float[] pack, float[][] src, int[] at, int[] step) {
        for (int t = 0; t < GROUP; t++) {
            if (t >= panels) {
                src[t] = src[0];
                at[t] = at[0];
                step[t] = step[0];
            } else if (ta && readsInPlace(panelRows, rows - t * panelRows, a.length,
                    aOffset + pc * lda + r0 + t * panelRows, kc, lda)) {
                src[t] = a;
                at[t] = aOffset + pc * lda + r0 + t * panelRows;
                step[t] = lda;
            } else {
                int prows = Math.min(panelRows, rows - t * panelRows);
                PackA.pack(ta, panelRows, a, aOffset, lda, r0 + t * panelRows, prows, pc, kc, pack, t * panelRows * kc);
                src[t] = pack;
                at[t] = t * panelRows * kc;
                step[t] = panelRows;
            }
        }
    }

    /**
     * Whether a panel of a transposed A whose first vector starts at {@code first} and whose k-block has kc
     * steps of lda floats is read in place: when it is whole, and when it is partial (prows of panelRows rows)
     * but the array holds a whole vector from its last step's start. The spare lanes then read the floats after
     * the panel's rows (the next k-row's first ones), and their sums are never stored. Packing such a panel
     * instead moved every element of it once per call: M = 44 at K = 3136, batch 1, ran at a fifth of M = 48's
     * speed (docs/benchmarks.md, 2026-12-04 evening).
     */
    static boolean readsInPlace(int panelRows, int prows, int arrayLength, int first, int kc, int lda) {
        return prows >= panelRows || (long) first + (long) (kc - 1) * lda + panelRows <= arrayLength;
    }

    /**
     * The dot products of the {@link #GROUP} panels with one column of B into lanes (panel t's rows at
     * t*L): panel t's vector at k-step p is read at {@code src[t][at[t] + p*step[t]]}; one fused
     * multiply-add chain per row, four chains in flight. Each width has its own loop with its species as a
     * static constant, so the Vector API calls are intrinsified whether or not the JIT inlines this method.
     */
    private static void dot(int vectorBits, int kc, float[][] src, int[] at, int[] step, float[] b, int bAt, int bStep,
                            float[] lanes) {
        float[] a0 = src[0];
        float[] a1 = src[1];
        float[] a2 = src[2];
        float[] a3 = src[3];
        int o0 = at[0];
        int o1 = at[1];
        int o2 = at[2];
        int o3 = at[3];
        int s0 = step[0];
        int s1 = step[1];
        int s2 = step[2];
        int s3 = step[3];
        switch (vectorBits) {
            case 512 -> {
                FloatVector c0 = FloatVector.zero(S512);
                FloatVector c1 = FloatVector.zero(S512);
                FloatVector c2 = FloatVector.zero(S512);
                FloatVector c3 = FloatVector.zero(S512);
                for (int p = 0; p < kc; p++) {
                    FloatVector bv = FloatVector.broadcast(S512, b[bAt + p * bStep]);
                    c0 = FloatVector.fromArray(S512, a0, o0 + p * s0).fma(bv, c0);
                    c1 = FloatVector.fromArray(S512, a1, o1 + p * s1).fma(bv, c1);
                    c2 = FloatVector.fromArray(S512, a2, o2 + p * s2).fma(bv, c2);
                    c3 = FloatVector.fromArray(S512, a3, o3 + p * s3).fma(bv, c3);
                }
                c0.intoArray(lanes, 0);
                c1.intoArray(lanes, 16);
                c2.intoArray(lanes, 32);
                c3.intoArray(lanes, 48);
            }
            case 256 -> {
                FloatVector c0 = FloatVector.zero(S256);
                FloatVector c1 = FloatVector.zero(S256);
                FloatVector c2 = FloatVector.zero(S256);
                FloatVector c3 = FloatVector.zero(S256);
                for (int p = 0; p < kc; p++) {
                    FloatVector bv = FloatVector.broadcast(S256, b[bAt + p * bStep]);
                    c0 = FloatVector.fromArray(S256, a0, o0 + p * s0).fma(bv, c0);
                    c1 = FloatVector.fromArray(S256, a1, o1 + p * s1).fma(bv, c1);
                    c2 = FloatVector.fromArray(S256, a2, o2 + p * s2).fma(bv, c2);
                    c3 = FloatVector.fromArray(S256, a3, o3 + p * s3).fma(bv, c3);
                }
                c0.intoArray(lanes, 0);
                c1.intoArray(lanes, 8);
                c2.intoArray(lanes, 16);
                c3.intoArray(lanes, 24);
            }
            default -> {
                FloatVector c0 = FloatVector.zero(S128);
                FloatVector c1 = FloatVector.zero(S128);
                FloatVector c2 = FloatVector.zero(S128);
                FloatVector c3 = FloatVector.zero(S128);
                for (int p = 0; p < kc; p++) {
                    FloatVector bv = FloatVector.broadcast(S128, b[bAt + p * bStep]);
                    c0 = FloatVector.fromArray(S128, a0, o0 + p * s0).fma(bv, c0);
                    c1 = FloatVector.fromArray(S128, a1, o1 + p * s1).fma(bv, c1);
                    c2 = FloatVector.fromArray(S128, a2, o2 + p * s2).fma(bv, c2);
                    c3 = FloatVector.fromArray(S128, a3, o3 + p * s3).fma(bv, c3);
                }
                c0.intoArray(lanes, 0);
                c1.intoArray(lanes, 4);
                c2.intoArray(lanes, 8);
                c3.intoArray(lanes, 12);
            }
        }
    }

    /** The same with scalar fused multiply-adds (width 0), four rows at a time. */
    private static void columnScalar(int kc, float[] pack, float[] b, int bAt, int bStep, float[] c, int cOffset, int ldc,
                                     int r0, int rows, int j, float alpha, float beta, GemmEpilogue ep) {
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int p = 0; p < kc; p++) {
            float bv = b[bAt + p * bStep];
            int at = p * 4;
            a0 = Math.fma(pack[at], bv, a0);
            a1 = Math.fma(pack[at + 1], bv, a1);
            a2 = Math.fma(pack[at + 2], bv, a2);
            a3 = Math.fma(pack[at + 3], bv, a3);
        }
        for (int i = 0; i < rows; i++) {
            float v = switch (i) {
                case 0 -> a0;
                case 1 -> a1;
                case 2 -> a2;
                default -> a3;
            };
            store(v, c, cOffset, ldc, r0 + i, j, alpha, beta, ep);
        }
    }

    /** The micro-kernel's store formula for element (row, j), then the epilogue when given. */
    private static void store(float acc, float[] c, int cOffset, int ldc, int row, int j, float alpha, float beta,
                              GemmEpilogue ep) {
        int at = cOffset + row * ldc + j;
        float v = beta == 0f ? acc * alpha : Math.fma(acc, alpha, beta * c[at]);
        if (ep != null) {
            v = EpilogueStage.element(ep, row, v, ep.residual() == null ? 0 : ep.residualOffset() + row * ep.ldr() + j);
        }
        c[at] = v;
    }
}
