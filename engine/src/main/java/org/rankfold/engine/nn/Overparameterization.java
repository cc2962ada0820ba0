package org.rankfold.engine.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.rankfold.engine.tensor.Tensor;

/**
 * Over-parameterization of a model's convolutions as {@link FactorizedConv2d} and folding back
 * (docs/method.md, over-parameterization): {@code factorized} uses expansion e = 1 (Tucker form at full rank, as in
 * SVD training, Yang et al. 2020), {@code expand} uses e >= 1 (ExpandNets, Guo et al. 2020); the ranks are
 * R_in = ceil(e*C), R_out = ceil(e*S).
 *
 * <p>Eligible: every {@link Conv2d} with a kernel larger than 1x1, except the first convolution of the
 * model when its input has 1 or 3 channels; both exclusions can be lifted by the options.
 *
 * <p>Initialization keeps the function: A (R_in x C) gets orthonormal columns and B (S x R_out) orthonormal
 * rows (Gram-Schmidt on seeded Gaussians), and the core is G = W x0 B^T x1 A, i.e.
 * {@code G[j,i,:,:] = sum_{s,c} B[s,j] W[s,c,:,:] A[i,c]}. Then the effective kernel
 * {@code sum B G A = (B B^T) W (A^T A) = W}: the converted model computes what the original did, with
 * orthogonal factors for the orthogonality regularizer to keep.
 */
public final class Overparameterization {
    private Overparameterization() {
    }

    /** How convolutions are over-parameterized. */
    public enum Mode {
        NONE, FACTORIZED, EXPAND;

        public static Mode parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** expansion is used by EXPAND (>= 1); FACTORIZED always uses 1. */
    public record Options(Mode mode, double expansion, boolean includePointwise, boolean includeFirstConv) {
        public Options {
            if (mode == Mode.EXPAND && !(expansion >= 1)) {
                throw new IllegalArgumentException("expansion factor must be >= 1, got " + expansion);
            }
        }

        public double effectiveExpansion() {
            return mode == Mode.EXPAND ? expansion : 1.0;
        }
    }

    /** Converts the eligible convolutions of {@code model} in place; returns their qualified names. */
    public static List<String> apply(Module model, Options options, SplittableRandom rng) {
        List<String> converted = new ArrayList<>();
        if (options.mode() == Mode.NONE) {
            return converted;
        }
        boolean first = true;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Conv2d conv = switch (e.getValue()) {
                case Conv2d c -> c;
                // a factorized convolution is over-parameterized already; the others hold no convolution weight
                case FactorizedConv2d _, Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _,
                     Flatten _, Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ -> null;
            };
            if (conv == null || isInsideFactorized(model, e.getKey())) {
                continue;
            }
            boolean isFirst = first;
            first = false;
            boolean pointwise = conv.spec().kernelH() == 1 && conv.spec().kernelW() == 1;
            if (pointwise && !options.includePointwise()) {
                continue;
            }
            if (isFirst && (conv.inChannels() == 1 || conv.inChannels() == 3) && !options.includeFirstConv()) {
                continue;
            }
            double ex = options.effectiveExpansion();
            int rankIn = (int) Math.ceil(ex * conv.inChannels());
            int rankOut = (int) Math.ceil(ex * conv.outChannels());
            Module replacement = functionPreserving(conv, rankIn, rankOut, rng);
            replacement.train(conv.isTraining());
            model.replaceModule(e.getKey(), replacement);
            converted.add(e.getKey());
        }
        return converted;
    }

    /** Replaces every factorized convolution by its exact fold; returns their qualified names. */
    public static List<String> foldAll(Module model) {
        List<String> folded = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            FactorizedConv2d f = switch (e.getValue()) {
                case FactorizedConv2d factorized -> factorized;
                case Conv2d _, Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _,
                     Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ -> null;
            };
            if (f != null && !isInsideFactorized(model, e.getKey())) {
                Conv2d conv = f.fold();
                conv.train(f.isTraining());
                model.replaceModule(e.getKey(), conv);
                folded.add(e.getKey());
            }
        }
        return folded;
    }

    private static boolean isInsideFactorized(Module model, String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && model.namedModules().get(name.substring(0, dot)) instanceof FactorizedConv2d;
    }

    /** The factorized form of {@code conv} with ranks >= its channel counts and the same function. */
    public static FactorizedConv2d functionPreserving(Conv2d conv, int rankIn, int rankOut, SplittableRandom rng) {
        int c = conv.inChannels();
        int s = conv.outChannels();
        if (rankIn < c || rankOut < s) {
            throw new IllegalArgumentException("function-preserving factorization needs R_in >= C and R_out >= S, got R_in "
                    + rankIn + " for C " + c + ", R_out " + rankOut + " for S " + s);
        }
        int kk = conv.spec().kernelH() * conv.spec().kernelW();
        double[] a = orthonormalColumns(rankIn, c, rng);     // (rankIn, c), A^T A = I_c
        double[] bt = orthonormalColumns(rankOut, s, rng);   // (rankOut, s) = B^T, so B B^T = I_s
        float[] w = conv.weight().data();
        // wa[s][i][pq] = sum_c W[s,c,pq] A[i,c]
        double[] wa = new double[s * rankIn * kk];
        for (int so = 0; so < s; so++) {
            for (int i = 0; i < rankIn; i++) {
                for (int ch = 0; ch < c; ch++) {
                    double av = a[i * c + ch];
                    if (av == 0) {
                        continue;
                    }
                    for (int pq = 0; pq < kk; pq++) {
                        wa[(so * rankIn + i) * kk + pq] += w[(so * c + ch) * kk + pq] * av;
                    }
                }
            }
        }
        // G[j][i][pq] = sum_s B[s,j] wa[s][i][pq] = sum_s bt[j,s] wa[s][i][pq]
        float[] g = new float[rankOut * rankIn * kk];
        int plane = rankIn * kk;
        for (int j = 0; j < rankOut; j++) {
            for (int e = 0; e < plane; e++) {
                double acc = 0;
                for (int so = 0; so < s; so++) {
                    acc += bt[j * s + so] * wa[so * plane + e];
                }
                g[j * plane + e] = (float) acc;
            }
        }
        float[] b = new float[s * rankOut];
        for (int j = 0; j < rankOut; j++) {
            for (int so = 0; so < s; so++) {
                b[so * rankOut + j] = (float) bt[j * s + so];
            }
        }
        Tensor core = Tensor.wrap(g, rankOut, rankIn, conv.spec().kernelH(), conv.spec().kernelW());
        return FactorizedConv2d.fromFactors(Tensor.fromArray(a, rankIn, c), core, Tensor.wrap(b, s, rankOut),
                conv.bias(), conv.spec());
    }

    /** A rows x cols matrix (rows >= cols) with orthonormal columns: modified Gram-Schmidt on N(0, 1) entries. */
    static double[] orthonormalColumns(int rows, int cols, SplittableRandom rng) {
        double[] m = new double[rows * cols];
        float[] gauss = new float[rows * cols];
        Tensor.fillNormal(rng, gauss, 0, 1);
        for (int i = 0; i < m.length; i++) {
            m[i] = gauss[i];
        }
        for (int k = 0; k < cols; k++) {
            for (int pass = 0; pass < 2; pass++) { // re-orthogonalize once: "twice is enough" (Giraud et al. 2005)
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) {
                        dot += m[r * cols + j] * m[r * cols + k];
                    }
                    for (int r = 0; r < rows; r++) {
                        m[r * cols + k] -= dot * m[r * cols + j];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += m[r * cols + k] * m[r * cols + k];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                m[r * cols + k] /= norm;
            }
        }
        return m;
    }
}
