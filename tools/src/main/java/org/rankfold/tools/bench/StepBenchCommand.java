package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
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

    static int run(PrintWriter out, String mode, String model, int[] input, int batch, Integer threads, int runs, double warmup,
                   boolean json, String device) {
        return run(out, mode, model, input, batch, threads, runs, warmup, json, device, false, false);
    }

    /**
     * As above; for inference, usePlan runs the compiled plan (on the CPU) instead of the autograd forward
     * pass, and perLayer prints the plan's per-step times. Inference also reports the latency of single steps.
     */
    static int run(PrintWriter out, String mode, String model, int[] input, int batch, Integer threads, int runs, double warmup,
                   boolean json, String device, boolean usePlan, boolean perLayer) {
        int t = BenchOptions.threads(threads);
        BenchOptions.checkRuns(runs, warmup);
        boolean train = mode.equals("train");
        Timing timing;
        String backend;
        int[] shape;
        Latency latency = null;
        List<String> layers = null;
        try (ComputeSession cpu = ComputeSession.open(device, t); StepBench step = new StepBench(model, input, batch)) {
            backend = cpu.describe();
            shape = step.imageShape();
            if (!train && usePlan) {
                step.usePlan();
            }
            float check = train ? step.trainStep() : step.inferStep();
            if (!Float.isFinite(check)) {
                throw new UserError("the " + mode + " step of " + model + " produced " + check + "; nothing to time");
            }
            timing = Timing.measure(train ? step::trainStep : step::inferStep, runs, warmup, 1.0);
            if (!train) {
                // single steps for about one second (at least 20), for the latency a caller sees
                int calls = (int) Math.max(20, Math.min(100_000, Math.ceil(1.0 / Math.max(1e-9, timing.median()))));
                latency = new Latency(calls);
                for (int i = 0; i < calls; i++) {
                    long c0 = System.nanoTime();
                    step.inferStep();
                    latency.add(System.nanoTime() - c0);
                }
                if (perLayer) {
                    layers = step.perLayer(Math.max(1, runs * timing.reps()));
                }
            }
        }
        double ips = batch / timing.median();
        if (json) {
            JsonLine line = new JsonLine().put("benchmark", mode).put("library", "rankfold").put("net", model.toLowerCase(Locale.ROOT))
                    .put("mode", mode).put("input", shape[0] + "x" + shape[1] + "x" + shape[2]).put("batch", batch).put("threads", t).put("images_per_s", ips)
                    .put("min", batch / timing.max()).put("max", batch / timing.min())
                    .put("step_seconds", timing.median()).put("runs", runs).put("steps_per_run", timing.reps());
            if (latency != null) {
                line.put("engine", usePlan ? "plan" : "autograd").put("latency_ms_median", latency.percentile(50) / 1e6)
                        .put("latency_ms_p99", latency.percentile(99) / 1e6);
            }
            out.println(line.put("backend", backend).put("device", device).put("java", Runtime.version().toString()));
        } else {
            out.printf(Locale.ROOT, "rankfold %s %s batch=%d threads=%d input %s: %.1f images/s (median of %d runs of %d steps;"
                            + " %.1f-%.1f), %.1f ms per step%n", model, mode, batch, t, Arrays.toString(shape), ips, runs,
                    timing.reps(), batch / timing.max(), batch / timing.min(), 1e3 * timing.median());
            if (latency != null) {
                out.printf(Locale.ROOT, "engine %s; latency per step: median %.3f ms, p99 %.3f ms (%d single steps)%n",
                        usePlan ? "plan" : "autograd", latency.percentile(50) / 1e6, latency.percentile(99) / 1e6,
                        latency.count());
            }
            out.println("backend: " + backend);
        }
        if (layers != null) {
            layers.forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
