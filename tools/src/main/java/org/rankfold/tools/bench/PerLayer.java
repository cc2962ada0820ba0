package org.rankfold.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.tensor.Tensor;

/**
 * {@code bench infer --per-layer}: each step of the compiled plan with its share of the time, its time per
 * batch and its multiply-add rate, from {@code reps} timed runs, so the remaining time can be placed layer
 * by layer (the steps are the plan's, with BN, ReLU, residual and fused pools named in each line).
 */
final class PerLayer {
    private PerLayer() {
    }

    /** Runs the plan {@code reps} times on x with step timing; returns the table's lines. */
    static List<String> table(InferencePlan plan, Tensor x, int reps) {
        List<String> names = plan.stepDescriptions();
        long[] nanos = new long[names.size()];
        int batch = x.dim(0);
        for (int r = 0; r < reps; r++) {
            plan.run(x.data(), 0, batch, nanos);
        }
        long total = 0;
        for (long t : nanos) {
            total += t;
        }
        long[] macs = plan.stepMacs();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "per-layer times of the plan, batch %d, %d runs:", batch, reps));
        lines.add(String.format(Locale.ROOT, "  %6s %10s %9s  %s", "share", "ms/batch", "GMAC/s", "step"));
        for (int i = 0; i < names.size(); i++) {
            double ms = nanos[i] / 1e6 / reps;
            double gmacs = macs[i] == 0 || nanos[i] == 0 ? 0 : (double) macs[i] * batch * reps / nanos[i];
            lines.add(String.format(Locale.ROOT, "  %5.1f%% %10.3f %9s  %s", 100.0 * nanos[i] / Math.max(1, total), ms,
                    macs[i] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", gmacs), names.get(i)));
        }
        return lines;
    }
}
