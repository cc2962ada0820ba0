package org.rankfold.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backends;

/**
 * {@code bench infer --per-layer}: each step of the compiled plan with its share of the time, its time per
 * batch and its multiply-add rate, from {@code reps} timed runs, so the remaining time can be placed layer
 * by layer (the steps are the plan's, with BN, ReLU, residual and fused pools named in each line). A
 * convolution step also says how it cut the batch (groups of whole images or row tiles of each image) and,
 * on lines of its own, where its time went: im2col, each GEMM of a Tucker-2 chain (the last one with the
 * output stage), the fused pool. Parts are timed per tile and summed over threads, so their times are the
 * step's time split in the parts' proportions.
 */
final class PerLayer {
    private PerLayer() {
    }

    /** Runs the plan {@code reps} times on x with step timing; returns the table's lines. */
    static List<String> table(InferencePlan plan, Tensor x, int reps) {
        List<String> names = plan.stepDescriptions();
        long[] nanos = new long[names.size()];
        List<List<String>> parts = plan.stepParts();
        long[][] partNanos = new long[names.size()][];
        for (int i = 0; i < partNanos.length; i++) {
            partNanos[i] = new long[parts.get(i).size()];
        }
        int batch = x.dim(0);
        for (int r = 0; r < reps; r++) {
            plan.run(x.data(), 0, batch, nanos, partNanos);
        }
        List<String> tilings = plan.stepTilings(batch);
        List<long[]> partMacs = plan.stepPartMacs();
        long total = 0;
        for (long t : nanos) {
            total += t;
        }
        long[] macs = plan.stepMacs();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "per-layer times of the plan, batch %d, %d runs, %s:", batch, reps,
                plan.describeSubBatches(batch, Backends.current().threads())));
        lines.add(String.format(Locale.ROOT, "  %6s %10s %9s  %s", "share", "ms/batch", "GMAC/s", "step"));
        for (int i = 0; i < names.size(); i++) {
            double ms = nanos[i] / 1e6 / reps;
            double gmacs = macs[i] == 0 || nanos[i] == 0 ? 0 : (double) macs[i] * batch * reps / nanos[i];
            lines.add(String.format(Locale.ROOT, "  %5.1f%% %10.3f %9s  %s%s", 100.0 * nanos[i] / Math.max(1, total), ms,
                    macs[i] == 0 ? "-" : String.format(Locale.ROOT, "%.1f", gmacs), names.get(i),
                    tilings.get(i).isEmpty() ? "" : " [" + tilings.get(i) + "]"));
            if (parts.get(i).size() > 1) {
                long partTotal = 0;
                for (long t : partNanos[i]) {
                    partTotal += t;
                }
                for (int j = 0; j < parts.get(i).size(); j++) {
                    double share = (double) partNanos[i][j] / Math.max(1, partTotal);
                    long pm = partMacs.get(i)[j];
                    double pgmacs = pm == 0 || share == 0 ? 0 : (double) pm * batch * reps / (nanos[i] * share);
                    lines.add(String.format(Locale.ROOT, "  %6s %10.3f %9s    - %s (%.0f%% of the step)", "", ms * share,
                            pm == 0 ? "-" : String.format(Locale.ROOT, "%.1f", pgmacs), parts.get(i).get(j), 100 * share));
                }
            }
        }
        return lines;
    }
}
