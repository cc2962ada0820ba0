package org.rankfold.tools.train;

import java.util.Locale;
import java.util.Map;

import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.accounting.LayerCost;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.tools.UserError;

/**
 * Refuses, before anything large is allocated, a training batch or an expanded model that cannot fit in
 * the heap. The estimates are lower bounds (what training surely needs), so they never refuse a run that
 * would fit; a run that passes them may still run out of memory, which the CLI reports in one line too.
 */
public final class MemoryEstimate {
    /** Floats kept per activation element while training: the output, its gradient, the saved input. */
    private static final int FLOATS_PER_ACTIVATION = 3;
    /** Floats per parameter while training with momentum SGD: value, gradient, momentum. */
    private static final int FLOATS_PER_PARAMETER = 3;

    private MemoryEstimate() {
    }

    /** Bytes one image needs in training, at least: every costed layer's input and output, kept for backward. */
    public static long trainingBytesPerImage(Module model, int[] chw) {
        CostReport cost = CostProfiler.profile(model, chw);
        long floats = 0;
        for (LayerCost l : cost.layers()) {
            floats += FLOATS_PER_ACTIVATION * (elements(l.outputShape()) + elements(l.inputShape()));
        }
        return 4 * floats;
    }

    /** Fails with one line when {@code batch} images of {@code model} cannot fit in the heap. */
    public static void checkBatch(Module model, int[] chw, int batch, String option) {
        long perImage = trainingBytesPerImage(model, chw);
        double need = (double) perImage * batch + 4.0 * FLOATS_PER_PARAMETER * model.parameterCount();
        long heap = Runtime.getRuntime().maxMemory();
        if (need > heap) {
            throw new UserError(String.format(Locale.ROOT, "%s %d needs at least %.1f GB of heap for training (%.2f MB per"
                    + " image), more than the %.1f GB this JVM has: use a smaller %s, or give the JVM more heap"
                    + " (RANKFOLD_HEAP, e.g. RANKFOLD_HEAP=16g)", option, batch, need / 1e9, perImage / 1e6, heap / 1e9,
                    option));
        }
    }

    /**
     * Fails with one line when over-parameterizing {@code model}'s eligible convolutions with expansion
     * {@code e} (ranks ceil(e C) and ceil(e S), core ceil(e S) x ceil(e C) x k x k) makes a tensor too large
     * for an array, or parameters that cannot fit in the heap.
     */
    public static void checkExpansion(Module model, double e, boolean pointwise, boolean first, String option) {
        long heap = Runtime.getRuntime().maxMemory();
        double total = 0;
        boolean isFirst = true;
        for (Map.Entry<String, Module> m : model.namedModules().entrySet()) {
            if (!(m.getValue() instanceof Conv2d conv)) {
                continue;
            }
            boolean wasFirst = isFirst;
            isFirst = false;
            int kh = conv.spec().kernelH();
            int kw = conv.spec().kernelW();
            if ((kh == 1 && kw == 1 && !pointwise) || (wasFirst && (conv.inChannels() == 1 || conv.inChannels() == 3) && !first)) {
                continue;
            }
            double rin = Math.ceil(e * conv.inChannels());
            double rout = Math.ceil(e * conv.outChannels());
            double core = rin * rout * kh * kw;
            if (core > Integer.MAX_VALUE - 16) {
                throw new UserError(String.format(Locale.ROOT, "%s %s makes the core of %s hold %.3g floats, more than one"
                        + " array can hold (2^31); use a smaller %s", option, fmt(e), m.getKey(), core, option));
            }
            total += core + rin * conv.inChannels() + rout * conv.outChannels();
        }
        double need = 4.0 * FLOATS_PER_PARAMETER * total;
        if (need > heap) {
            throw new UserError(String.format(Locale.ROOT, "%s %s makes the over-parameterized model hold %.3g parameters,"
                    + " %.1f GB to train, more than the %.1f GB heap: use a smaller %s, or give the JVM more heap"
                    + " (RANKFOLD_HEAP)", option, fmt(e), total, need / 1e9, heap / 1e9, option));
        }
    }

    private static String fmt(double e) {
        return e == Math.rint(e) ? Long.toString((long) e) : Double.toString(e);
    }

    private static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
