package org.rankfold.engine.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/** Models in states a trained network has (non-trivial batch-norm statistics, low-rank layers), and the autograd oracle. */
final class PlanFixtures {
    private PlanFixtures() {
    }

    /** Random running statistics and affine parameters in every BN, so folding them is not the identity. */
    static void randomizeBatchNorms(Module model, SplittableRandom rng) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                fill(bn.gamma().data(), rng, 0.5, 1.5);
                fill(bn.beta().data(), rng, -0.2, 0.2);
                fill(bn.runningMean().data(), rng, -0.2, 0.2);
                fill(bn.runningVar().data(), rng, 0.5, 2.0);
            }
        }
    }

    private static void fill(float[] v, SplittableRandom rng, double lo, double hi) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
    }

    /**
     * Replaces every convolution with a kernel larger than 1x1 by a Tucker-2 factorized one with random
     * factors of ranks about a quarter of its channels (at least 1), as a decomposed model has; returns the
     * replaced names.
     */
    static List<String> decompose(Module model, SplittableRandom rng) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d conv && conv.spec().kernelH() > 1 && !e.getKey().endsWith(".g")) {
                names.add(e.getKey());
            }
        }
        for (String name : names) {
            Conv2d conv = (Conv2d) model.namedModules().get(name);
            int rIn = Math.max(1, conv.inChannels() / 4);
            int rOut = Math.max(1, conv.outChannels() / 4 + 1);
            int kh = conv.spec().kernelH();
            int kw = conv.spec().kernelW();
            double sa = 1 / Math.sqrt(conv.inChannels());
            double sg = 1 / Math.sqrt(rIn * kh * kw);
            double sb = 1 / Math.sqrt(rOut);
            Tensor a = Tensor.uniform(rng, (float) -sa, (float) sa, rIn, conv.inChannels());
            Tensor g = Tensor.uniform(rng, (float) -sg, (float) sg, rOut, rIn, kh, kw);
            Tensor b = Tensor.uniform(rng, (float) -sb, (float) sb, conv.outChannels(), rOut);
            Tensor bias = conv.bias() == null ? null : conv.bias().copy();
            model.replaceModule(name, FactorizedConv2d.fromFactors(a, g, b, bias, conv.spec()));
        }
        model.eval();
        return names;
    }

    /** The model's evaluation-mode logits through the autograd path (no gradients recorded). */
    static float[] autogradLogits(Module model, Tensor x) {
        boolean was = model.isTraining();
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad(); StepArena.Scope _ = StepArena.open()) {
            return model.forward(x).data().clone();
        } finally {
            model.train(was);
        }
    }

    /** Largest |difference| relative to the largest |expected| logit. */
    static double relativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("lengths " + expected.length + " and " + actual.length);
        }
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs((double) expected[i] - actual[i]));
            if (Float.isNaN(actual[i]) != Float.isNaN(expected[i])) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return diff / Math.max(max, 1e-30);
    }
}
