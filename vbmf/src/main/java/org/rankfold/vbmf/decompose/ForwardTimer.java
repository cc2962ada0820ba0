package org.rankfold.vbmf.decompose;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

/**
 * Wall-clock {@link LayerTimer}: each form runs as it will at inference, through a compiled
 * {@link InferencePlan} (the time counted is the plan's compute steps, not the layout conversions at its
 * ends, which a layer inside a whole network's plan does not have); a module the plan cannot compile runs
 * its own forward pass in evaluation mode without gradients. A seeded standard-normal input; both forms are
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
            Form a = Form.of(original, x);
            Form b = Form.of(decomposed, x);
            long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
            for (int i = 0; i < warmupCalls || System.nanoTime() < end; i++) {
                a.seconds();
                b.seconds();
            }
            double[] o = new double[repetitions];
            double[] d = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                o[i] = a.seconds();
                d[i] = b.seconds();
            }
            return new Times(median(o), median(d), repetitions);
        } finally {
            original.train(trainingO);
            decomposed.train(trainingD);
        }
    }

    /** One form to time: its plan (null when it cannot be compiled) or the module itself. */
    private record Form(Module module, InferencePlan plan, Tensor x, long[] stepNanos, boolean[] compute) {
        static Form of(Module m, Tensor x) {
            InferencePlan plan;
            try {
                plan = x.rank() == 4 ? InferencePlan.compile(m, x.dim(1), x.dim(2), x.dim(3))
                        : InferencePlan.compile(m, x.dim(1), 1, 1);
            } catch (IllegalArgumentException e) {
                // UnsupportedModuleException, or shapes the plan cannot chain: time the module itself
                plan = null;
            }
            if (plan == null) {
                return new Form(m, null, x, null, null);
            }
            long[] macs = plan.stepMacs();
            boolean[] compute = new boolean[macs.length];
            for (int i = 0; i < macs.length; i++) {
                compute[i] = macs[i] > 0;
            }
            return new Form(m, plan, x, new long[macs.length], compute);
        }

        double seconds() {
            if (plan == null) {
                long t0 = System.nanoTime();
                module.forward(x);
                return (System.nanoTime() - t0) * 1e-9;
            }
            Arrays.fill(stepNanos, 0);
            plan.run(x.data(), 0, x.dim(0), stepNanos);
            long sum = 0;
            for (int i = 0; i < stepNanos.length; i++) {
                sum += compute[i] ? stepNanos[i] : 0;
            }
            return sum * 1e-9;
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
