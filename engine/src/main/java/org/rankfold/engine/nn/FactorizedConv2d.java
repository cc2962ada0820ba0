package org.rankfold.engine.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;

/**
 * A convolution C -> S factorized into three linear convolutions with nothing between them (docs/
 * method.md): "a" 1x1 C -> R_in (no bias), "g" KHxKW R_in -> R_out carrying the stride, padding and dilation (no
 * bias), "b" 1x1 R_out -> S (bias optional). Its effective kernel is
 * <pre>
 *   W[s, c, p, q] = sum_{j < R_out, i < R_in} B[s, j] * G[j, i, p, q] * A[i, c]
 * </pre>
 * and {@link #fold()} to it is exact: a bias-free 1x1 map commutes with zero padding, and the stride acts
 * on the pixel grid only. The Tucker-2 result W = core x0 U0 x1 U1 (U0: S x R0, U1: C x R1) is this layer
 * with A = U1^T, G = core, B = U0 ({@link #fromFactors}). R_in and R_out may exceed the channel counts
 * (over-parameterization). Parameters: "a.weight" (R_in, C, 1, 1), "g.weight" (R_out, R_in, KH, KW),
 * "b.weight" (S, R_out, 1, 1), "b.bias" (S).
 */
public final class FactorizedConv2d extends Module implements Costed {
    private final Conv2d a;
    private final Conv2d g;
    private final Conv2d b;

    /** Fresh factors with PyTorch's default initialization each. */
    public FactorizedConv2d(int inChannels, int outChannels, ConvSpec spec, int rankIn, int rankOut, boolean bias,
                            SplittableRandom rng) {
        this(new Conv2d(inChannels, rankIn, ConvSpec.square(1, 1, 0, 1), false, 1, rng),
                new Conv2d(rankIn, rankOut, spec, false, 1, rng),
                new Conv2d(rankOut, outChannels, ConvSpec.square(1, 1, 0, 1), bias, 1, rng));
    }

    private FactorizedConv2d(Conv2d a, Conv2d g, Conv2d b) {
        this.a = registerModule("a", a);
        this.g = registerModule("g", g);
        this.b = registerModule("b", b);
    }

    /**
     * The layer with given factors (copied): A (R_in, C) or (R_in, C, 1, 1), core G (R_out, R_in, KH, KW),
     * B (S, R_out) or (S, R_out, 1, 1), bias (S) or null; the spec applies to the core.
     */
    public static FactorizedConv2d fromFactors(Tensor factorA, Tensor core, Tensor factorB, Tensor bias, ConvSpec spec) {
        if (core.rank() != 4 || core.dim(2) != spec.kernelH() || core.dim(3) != spec.kernelW()) {
            throw new IllegalArgumentException("core must be (R_out, R_in, " + spec.kernelH() + ", " + spec.kernelW()
                    + "), got " + Arrays.toString(core.shape()));
        }
        int rOut = core.dim(0);
        int rIn = core.dim(1);
        Tensor aw = asPointwise(factorA, "A");
        Tensor bw = asPointwise(factorB, "B");
        if (aw.dim(0) != rIn || bw.dim(1) != rOut) {
            throw new IllegalArgumentException("factor shapes do not chain: A " + Arrays.toString(factorA.shape()) + ", core "
                    + Arrays.toString(core.shape()) + ", B " + Arrays.toString(factorB.shape()));
        }
        ConvSpec one = ConvSpec.square(1, 1, 0, 1);
        return new FactorizedConv2d(Conv2d.of(aw, null, one), Conv2d.of(core.copy(), null, spec),
                Conv2d.of(bw, bias == null ? null : bias.copy().reshape(bw.dim(0)).detach(), one));
    }

    private static Tensor asPointwise(Tensor f, String name) {
        if (f.rank() == 2) {
            return f.copy().reshape(f.dim(0), f.dim(1), 1, 1).detach();
        }
        if (f.rank() == 4 && f.dim(2) == 1 && f.dim(3) == 1) {
            return f.copy();
        }
        throw new IllegalArgumentException("factor " + name + " must be 2-D or (R, C, 1, 1), got " + Arrays.toString(f.shape()));
    }

    @Override
    protected Tensor compute(Tensor x) {
        return b.forward(g.forward(a.forward(x)));
    }

    /** The effective kernel (S, C, KH, KW), summed in double. */
    public Tensor effectiveKernel() {
        int rIn = g.inChannels();
        int rOut = g.outChannels();
        int c = a.inChannels();
        int s = b.outChannels();
        int kk = g.spec().kernelH() * g.spec().kernelW();
        float[] aw = a.weight().data(); // (rIn, c)
        float[] gw = g.weight().data(); // (rOut, rIn, kk)
        float[] bw = b.weight().data(); // (s, rOut)
        // ga[j][c][pq] = sum_i G[j,i,pq] A[i,c]
        double[] ga = new double[rOut * c * kk];
        for (int j = 0; j < rOut; j++) {
            for (int i = 0; i < rIn; i++) {
                for (int ch = 0; ch < c; ch++) {
                    double av = aw[i * c + ch];
                    int gOff = (j * rIn + i) * kk;
                    int dst = (j * c + ch) * kk;
                    for (int pq = 0; pq < kk; pq++) {
                        ga[dst + pq] += gw[gOff + pq] * av;
                    }
                }
            }
        }
        float[] w = new float[s * c * kk];
        double[] row = new double[c * kk];
        for (int so = 0; so < s; so++) {
            Arrays.fill(row, 0);
            for (int j = 0; j < rOut; j++) {
                double bv = bw[so * rOut + j];
                int src = j * c * kk;
                for (int e = 0; e < row.length; e++) {
                    row[e] += bv * ga[src + e];
                }
            }
            for (int e = 0; e < row.length; e++) {
                w[so * row.length + e] = (float) row[e];
            }
        }
        return Tensor.wrap(w, s, c, g.spec().kernelH(), g.spec().kernelW());
    }

    /** The single convolution with the effective kernel, the same bias and the core's spec (exact). */
    public Conv2d fold() {
        Tensor bias = b.bias() == null ? null : b.bias().copy();
        return Conv2d.of(effectiveKernel(), bias, g.spec());
    }

    public Conv2d factorA() {
        return a;
    }

    public Conv2d core() {
        return g;
    }

    public Conv2d factorB() {
        return b;
    }

    public int rankIn() {
        return g.inChannels();
    }

    public int rankOut() {
        return g.outChannels();
    }

    @Override
    public long weightParameters() {
        return a.weightParameters() + g.weightParameters() + b.weightParameters();
    }

    /** H*W*C*R_in + OH*OW*R_in*R_out*KH*KW + OH*OW*R_out*S (docs/method.md, params and MACs). */
    @Override
    public long macs(int[] inputShape) {
        int[] mid = a.outputShape(inputShape);
        return a.macs(inputShape) + g.macs(mid) + b.macs(g.outputShape(mid));
    }

    @Override
    public String toString() {
        return "FactorizedConv2d(" + a.inChannels() + " -> " + rankIn() + " -> " + rankOut() + " -> " + b.outChannels()
                + ", core " + g + ")";
    }
}
