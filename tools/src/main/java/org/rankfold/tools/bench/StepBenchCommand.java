package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

import org.rankfold.tools.UserError;
import org.rankfold.tools.train.ComputeSession;

/**
 * What {@link BenchTrainCommand} and {@link BenchInferCommand} share: build the step, check it once
 * (finite loss or logits), time it (median images/s after warm-up, as {@code torch_train.py} reports)
 * and print text or one JSON line.
 */
final class StepBenchCommand {
    private StepBenchCommand() {
    }

    static int run(PrintWriter out, String mode, String model, int batch, Integer threads, int runs, double warmup, boolean json,
                   String device) {
        int t = BenchOptions.threads(threads);
        BenchOptions.checkRuns(runs, warmup);
        boolean train = mode.equals("train");
        Timing timing;
        String backend;
        int[] shape;
        try (ComputeSession cpu = ComputeSession.open(device, t); StepBench step = new StepBench(model, batch)) {
            backend = cpu.describe();
            shape = step.imageShape();
            float check = train ? step.trainStep() : step.inferStep();
            if (!Float.isFinite(check)) {
                throw new UserError("the " + mode + " step of " + model + " produced " + check + "; nothing to time");
            }
            timing = Timing.measure(train ? step::trainStep : step::inferStep, runs, warmup, 1.0);
        }
        double ips = batch / timing.median();
        if (json) {
            out.println(new JsonLine().put("benchmark", mode).put("library", "rankfold").put("net", model.toLowerCase(Locale.ROOT))
                    .put("mode", mode).put("batch", batch).put("threads", t).put("images_per_s", ips)
                    .put("min", batch / timing.max()).put("max", batch / timing.min())
                    .put("step_seconds", timing.median()).put("runs", runs).put("steps_per_run", timing.reps())
                    .put("backend", backend).put("device", device).put("java", Runtime.version().toString()));
        } else {
            out.printf(Locale.ROOT, "rankfold %s %s batch=%d threads=%d input %s: %.1f images/s (median of %d runs of %d steps;"
                            + " %.1f-%.1f), %.1f ms per step%n", model, mode, batch, t, Arrays.toString(shape), ips, runs,
                    timing.reps(), batch / timing.max(), batch / timing.min(), 1e3 * timing.median());
            out.println("backend: " + backend);
        }
        out.flush();
        return 0;
    }
}
