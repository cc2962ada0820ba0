package org.rankfold.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.tools.UserError;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.train.CpuSession;

/**
 * {@code bench infer --checkpoint DIR [--compare DIR2]}: images/s of inference steps (forward in evaluation
 * mode, no gradients, random input of the checkpoint's shape) of a saved model, e.g. a compressed one from a
 * run's {@code checkpoints/}, and optionally of a second one (the baseline) at the same batch and threads.
 * The models are warmed up, then timed in alternating runs (A, B, A, B, ...: drift in machine load hits both
 * alike), each run repeating the step for at least one second; the median per model is reported with the
 * speed ratio (images/s of DIR / of DIR2) next to the MACs and params ratios (DIR2 / DIR), so the real
 * speed-up can be read against the counted one. Every step is also timed alone, for the latency (median and
 * 99th percentile per call) that matters at batch 1. The step is the compiled {@link InferencePlan} unless
 * {@code --engine autograd} asks for the module's own forward pass; {@code --per-layer} prints where the
 * plan's time goes, step by step.
 */
final class CheckpointInferBench {
    private static final double MIN_RUN_SECONDS = 1.0;

    private CheckpointInferBench() {
    }

    /** One model to time; plan null for the autograd path. */
    private record Subject(Path dir, String name, Module model, int[] chw, CostReport cost, Tensor x, InferencePlan plan) {
        /** One inference step; returns its first logit. */
        float step() {
            if (plan != null) {
                return plan.run(x.data(), 0, x.dim(0))[0];
            }
            try (GradMode.Scope _ = GradMode.noGrad()) {
                return model.forward(x).data()[0];
            }
        }
    }

    static int run(PrintWriter out, Path checkpoint, Path compare, int batch, Integer threads, int runs, double warmup,
                   boolean json) throws IOException {
        return run(out, checkpoint, compare, batch, threads, runs, warmup, json, true, false);
    }

    static int run(PrintWriter out, Path checkpoint, Path compare, int batch, Integer threads, int runs, double warmup,
                   boolean json, boolean usePlan, boolean perLayer) throws IOException {
        int t = BenchOptions.threads(threads);
        BenchOptions.checkRuns(runs, warmup);
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        List<Subject> subjects = new ArrayList<>();
        subjects.add(load(checkpoint, batch, usePlan));
        if (compare != null) {
            subjects.add(load(compare, batch, usePlan));
            if (!Arrays.equals(subjects.get(0).chw(), subjects.get(1).chw())) {
                throw new UserError("--checkpoint takes input " + Arrays.toString(subjects.get(0).chw()) + " but --compare "
                        + Arrays.toString(subjects.get(1).chw()) + "; compare models of the same input");
            }
        }
        double[] median = new double[subjects.size()];
        int[] reps = new int[subjects.size()];
        Latency[] latency = new Latency[subjects.size()];
        List<String> layers = null;
        String backend;
        try (CpuSession cpu = CpuSession.open(t)) {
            backend = cpu.describe();
            for (Subject s : subjects) {
                s.model().eval();
                float check = s.step();
                if (!Float.isFinite(check)) {
                    throw new UserError("the inference step of " + s.dir() + " produced " + check + "; nothing to time");
                }
            }
            double[][] perStep = new double[subjects.size()][runs];
            for (int i = 0; i < subjects.size(); i++) {
                // warm-up and calibration of each model; Timing keeps the first run as its result
                Subject s = subjects.get(i);
                Timing w = Timing.measure(s::step, 1, warmup / subjects.size(), MIN_RUN_SECONDS);
                reps[i] = w.reps();
                latency[i] = new Latency(runs * reps[i]);
            }
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < subjects.size(); i++) {
                    Subject s = subjects.get(i);
                    long t0 = System.nanoTime();
                    for (int k = 0; k < reps[i]; k++) {
                        long c0 = System.nanoTime();
                        s.step();
                        latency[i].add(System.nanoTime() - c0);
                    }
                    perStep[i][r] = (System.nanoTime() - t0) / 1e9 / reps[i];
                }
            }
            for (int i = 0; i < subjects.size(); i++) {
                median[i] = median(perStep[i]);
            }
            if (perLayer) {
                Subject s = subjects.getFirst();
                if (s.plan() == null) {
                    throw new UserError("--per-layer times the plan's steps; it does not apply with --engine autograd");
                }
                layers = PerLayer.table(s.plan(), s.x(), Math.max(1, reps[0] * runs));
            }
        }
        print(out, subjects, median, reps, latency, batch, t, runs, backend, json, usePlan);
        if (layers != null) {
            layers.forEach(out::println);
            out.flush();
        }
        return 0;
    }

    private static Subject load(Path dir, int batch, boolean usePlan) throws IOException {
        Checkpoint ck = CheckpointReader.load(dir);
        int[] chw = ck.input().chw();
        Tensor x = Tensor.randn(new SplittableRandom(0), batch, chw[0], chw[1], chw[2]);
        Module model = ck.model();
        model.eval();
        InferencePlan plan = usePlan ? InferencePlan.compile(model, chw[0], chw[1], chw[2]) : null;
        return new Subject(dir, ck.modelName(), model, chw, CostProfiler.profile(model, chw), x, plan);
    }

    private static void print(PrintWriter out, List<Subject> subjects, double[] median, int[] reps, Latency[] latency,
                              int batch, int threads, int runs, String backend, boolean json, boolean usePlan) {
        Subject a = subjects.get(0);
        double ipsA = batch / median[0];
        String engine = usePlan ? "plan" : "autograd";
        if (json) {
            ObjectNode o = Json.object();
            o.put("benchmark", "infer");
            o.put("library", "rankfold");
            o.put("engine", engine);
            fields(o, a, ipsA, median[0], reps[0], latency[0]);
            o.put("batch", batch);
            o.put("threads", threads);
            o.put("runs", runs);
            if (subjects.size() > 1) {
                Subject b = subjects.get(1);
                double ipsB = batch / median[1];
                fields(o.putObject("compare"), b, ipsB, median[1], reps[1], latency[1]);
                o.put("speed_ratio", ipsA / ipsB);
                o.put("macs_ratio", (double) b.cost().macs() / a.cost().macs());
                o.put("params_ratio", (double) b.cost().parameters() / a.cost().parameters());
            }
            o.put("backend", backend);
            o.put("java", Runtime.version().toString());
            Json.print(out, o);
            return;
        }
        out.printf(Locale.ROOT, "rankfold infer (%s) batch=%d threads=%d input %s, median of %d alternating runs:%n", engine,
                batch, threads, Arrays.toString(a.chw()), runs);
        line(out, a, ipsA, median[0], latency[0]);
        if (subjects.size() > 1) {
            Subject b = subjects.get(1);
            double ipsB = batch / median[1];
            line(out, b, ipsB, median[1], latency[1]);
            out.printf(Locale.ROOT, "speed ratio %.2fx (images/s of the first / the second); MACs ratio %.2fx, params ratio"
                            + " %.2fx (second / first)%n", ipsA / ipsB, (double) b.cost().macs() / a.cost().macs(),
                    (double) b.cost().parameters() / a.cost().parameters());
        }
        out.println("backend: " + backend);
        out.flush();
    }

    private static void fields(ObjectNode o, Subject s, double ips, double seconds, int reps, Latency latency) {
        o.put("checkpoint", s.dir().toString());
        o.put("net", s.name());
        o.put("images_per_s", ips);
        o.put("step_seconds", seconds);
        o.put("steps_per_run", reps);
        o.put("latency_ms_median", latency.percentile(50) / 1e6);
        o.put("latency_ms_p99", latency.percentile(99) / 1e6);
        o.put("macs", s.cost().macs());
        o.put("params", s.cost().parameters());
    }

    private static void line(PrintWriter out, Subject s, double ips, double seconds, Latency latency) {
        out.printf(Locale.ROOT, "  %-40s %10.1f images/s  %8.2f ms per step (latency median %.3f ms, p99 %.3f ms)"
                        + "  %8.3f MMACs/image  %,d params%n", s.dir(), ips, 1e3 * seconds, latency.percentile(50) / 1e6,
                latency.percentile(99) / 1e6, s.cost().macs() / 1e6, s.cost().parameters());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
