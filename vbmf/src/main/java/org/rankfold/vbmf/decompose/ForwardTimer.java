package org.rankfold.vbmf.decompose;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

/**
 * Wall-clock {@link LayerTimer}: evaluation mode, no gradients, a seeded standard-normal input; both forms are
 * warmed up (at least {@code warmupCalls} calls each and {@code warmupSeconds} in all, so the JIT has compiled
 * the kernels of both), then timed alternately call by call ({@code repetitions} each, so drift in machine load
 * hits both alike) and the median per form is returned. The modules' train/eval mode is restored afterwards.
 */
public final class ForwardTimer implements LayerTimer {
    private final int warmupCalls;
    private final double warmupSeconds;
    private final int repetitions;

    public ForwardTimer(int warmupCalls, double warmupSeconds, int repetitions) {
        if (warmupCalls < 0 || !(warmupSeconds >= 0) || repetitions < 1) {
            throw new IllegalArgumentException("warm-up calls >= 0, warm-up seconds >= 0 and repetitions >= 1 required");
        }
        this.warmupCalls = warmupCalls;
        this.warmupSeconds = warmupSeconds;
        this.repetitions = repetitions;
    }

    /** 3 warm-up calls and 0.2 s, then 7 timed calls per form. */
    public static ForwardTimer defaults() {
        return new ForwardTimer(3, 0.2, 7);
    }

    @Override
    public Times time(Module original, Module decomposed, int[] inputShape) {
        Tensor x = Tensor.randn(new SplittableRandom(0x5EEDL), inputShape);
        boolean trainingO = original.isTraining();
        boolean trainingD = decomposed.isTraining();
        original.eval();
        decomposed.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
            for (int i = 0; i < warmupCalls || System.nanoTime() < end; i++) {
                original.forward(x);
                decomposed.forward(x);
            }
            double[] o = new double[repetitions];
            double[] d = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                o[i] = seconds(original, x);
                d[i] = seconds(decomposed, x);
            }
            return new Times(median(o), median(d), repetitions);
        } finally {
            original.train(trainingO);
            decomposed.train(trainingD);
        }
    }

    private static double seconds(Module m, Tensor x) {
        long t0 = System.nanoTime();
        m.forward(x);
        return (System.nanoTime() - t0) * 1e-9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
