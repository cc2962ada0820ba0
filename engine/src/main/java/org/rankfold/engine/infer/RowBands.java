package org.rankfold.engine.infer;

import java.util.List;

import org.rankfold.engine.ops.ConvSpec;

/**
 * The rows each stage of a convolution chain reads and writes when the chain computes only the output
 * rows [t0, t1) of one image (a spatial tile). Walking back from the tile: a 1x1 stride-1 stage needs the
 * same rows of its input; a KxK stage with stride s, padding p and dilation d needs the input rows
 * [lo*s - p, (hi-1)*s - p + d*(K-1) + 1) for its output rows [lo, hi) (the halo); a fused pool is one more
 * such window after the last stage. Rows a window needs outside its input's [0, H) are zero padding: the
 * producer computes only the rows inside, and the consumer sees the rest as pad rows above and below.
 *
 * <p>For stage i, {@link #outLo}/{@link #outHi} are the output rows it computes; {@link #padTop}/{@link
 * #padBottom} are the zero rows its input band has above and below the rows the previous stage computed
 * (for stage 0, above and below the step input's rows {@link #inLo()}..{@link #inHi()}). For the
 * whole image every band is the full plane and the pads are the stages' own paddings.
 */
final class RowBands {
    private final int[] outLo;
    private final int[] outHi;
    private final int[] padTop;
    private final int[] padBottom;
    private final int inLo;
    private final int inHi;
    private final int tileLo;
    private final int tileHi;

    private RowBands(int[] outLo, int[] outHi, int[] padTop, int[] padBottom, int inLo, int inHi, int tileLo,
                     int tileHi) {
        this.tileLo = tileLo;
        this.tileHi = tileHi;
        this.outLo = outLo;
        this.outHi = outHi;
        this.padTop = padTop;
        this.padBottom = padBottom;
        this.inLo = inLo;
        this.inHi = inHi;
    }

    /**
     * The bands of output rows [t0, t1) (rows after the pool when {@code pool} is not null).
     *
     * @param specs     each stage's window
     * @param inHeight  the chain input's height
     * @param outHeights each stage's output height
     * @param pool      the fused pool's window, or null
     */
    static RowBands of(List<ConvSpec> specs, int inHeight, int[] outHeights, ConvSpec pool, int t0, int t1) {
        int n = specs.size();
        int[] lo = new int[n];
        int[] hi = new int[n];
        int[] top = new int[n];
        int[] bottom = new int[n];
        int needLo = t0;
        int needHi = t1;
        if (pool != null) {
            needLo = windowLo(pool, t0);
            needHi = windowHi(pool, t1);
        }
        for (int i = n - 1; i >= 0; i--) {
            lo[i] = Math.max(0, needLo);
            hi[i] = Math.min(outHeights[i], needHi);
            if (lo[i] >= hi[i]) {
                throw new IllegalArgumentException("rows [" + t0 + ", " + t1 + ") need no rows of stage " + i);
            }
            if (i < n - 1) {
                top[i + 1] = lo[i] - needLo;
                bottom[i + 1] = needHi - hi[i];
            }
            ConvSpec s = specs.get(i);
            if (s.isPointwise()) {
                needLo = lo[i];
                needHi = hi[i];
            } else {
                needLo = windowLo(s, lo[i]);
                needHi = windowHi(s, hi[i]);
            }
        }
        int in0 = Math.max(0, needLo);
        int in1 = Math.min(inHeight, needHi);
        top[0] = in0 - needLo;
        bottom[0] = needHi - in1;
        return new RowBands(lo, hi, top, bottom, in0, in1, t0, t1);
    }

    /**
     * The whole image: every stage computes all its output rows and its window pads evenly by its own
     * padding (exactly what the chain computes without tiles, including rows a pool would not read).
     */
    static RowBands whole(List<ConvSpec> specs, int inHeight, int[] outHeights, int tileRows) {
        int n = specs.size();
        int[] lo = new int[n];
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = specs.get(i).padH();
        }
        return new RowBands(lo, outHeights.clone(), top, top.clone(), 0, inHeight, 0, tileRows);
    }

    /** The first input row a window needs for output row {@code lo}. */
    private static int windowLo(ConvSpec s, int lo) {
        return lo * s.strideH() - s.padH();
    }

    /** One past the last input row a window needs for output rows below {@code hi}. */
    private static int windowHi(ConvSpec s, int hi) {
        return (hi - 1) * s.strideH() - s.padH() + s.dilationH() * (s.kernelH() - 1) + 1;
    }

    /** The step output rows of this tile (after the pool, if any). */
    int tileLo() {
        return tileLo;
    }

    int tileHi() {
        return tileHi;
    }

    int outLo(int stage) {
        return outLo[stage];
    }

    int outHi(int stage) {
        return outHi[stage];
    }

    /** Output rows stage {@code stage} computes. */
    int outRows(int stage) {
        return outHi[stage] - outLo[stage];
    }

    int padTop(int stage) {
        return padTop[stage];
    }

    int padBottom(int stage) {
        return padBottom[stage];
    }

    /** Whether stage {@code stage} needs its input copied into a zero-padded band: its pads differ, so the
     *  window's symmetric padding cannot stand in for them. */
    boolean needsPaddedInput(int stage) {
        return padTop[stage] != padBottom[stage];
    }

    /** The first and one past the last row of the step's input that stage 0 reads. */
    int inLo() {
        return inLo;
    }

    int inHi() {
        return inHi;
    }
}
