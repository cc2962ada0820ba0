package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.ref.GemmRef;
import org.rankfold.tools.UserError;
import org.rankfold.tools.train.DeviceSelection;

import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.ThreadsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rankfold bench gemm}: GFLOP/s of the CPU backend's SGEMM on one shape (median of timed runs after
 * warm-up), and the fraction of this machine's FMA peak measured by {@link FmaPeak} with the same threads.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "SGEMM C = A*B GFLOP/s (median after warm-up) and %% of the measured FMA peak.",
        footer = {"", "Examples:", "  ./rankfold bench gemm --m 1024 --n 1024 --k 1024 --threads 1",
                "  ./rankfold bench gemm --m 32 --n 25088 --k 288 --variant NN --json"})
public final class BenchGemmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--m", description = "rows of C", defaultValue = "1024")
    int m;

    @Option(names = "--n", description = "columns of C", defaultValue = "1024")
    int n;

    @Option(names = "--k", description = "inner dimension", defaultValue = "1024")
    int k;

    @Option(names = "--variant", description = "NN, NT, TN or TT: which operand is stored transposed",
            defaultValue = "NN")
    String variant;

    @Option(names = "--runs", description = "timed runs", defaultValue = "15")
    int runs;

    @Option(names = "--warmup", description = "warm-up seconds", defaultValue = "1.0")
    double warmup;

    @Option(names = "--no-peak", description = "skip measuring the FMA peak")
    boolean noPeak;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws InterruptedException {
        if (m < 1 || n < 1 || k < 1) {
            throw new UserError("--m, --n and --k must be >= 1, got " + m + ", " + n + ", " + k);
        }
        if ((long) m * k > Integer.MAX_VALUE - 8 || (long) k * n > Integer.MAX_VALUE - 8
                || (long) m * n > Integer.MAX_VALUE - 8) {
            throw new UserError("matrices over 2^31 elements are not supported: M=" + m + " N=" + n + " K=" + k);
        }
        String v = variant.toUpperCase(Locale.ROOT);
        if (!v.matches("[NT][NT]")) {
            throw new UserError("--variant must be NN, NT, TN or TT, got '" + variant + "'");
        }
        int t = BenchOptions.threads(BenchOptions.threadsOrNull(threadsOption));
        BenchOptions.checkRuns(runs, warmup);
        Transpose ta = v.charAt(0) == 'T' ? Transpose.YES : Transpose.NO;
        Transpose tb = v.charAt(1) == 'T' ? Transpose.YES : Transpose.NO;
        int lda = ta.transposed() ? m : k;
        int ldb = tb.transposed() ? k : n;

        SplittableRandom rng = new SplittableRandom(1);
        float[] a = BenchOptions.uniform(rng, m * k);
        float[] b = BenchOptions.uniform(rng, k * n);
        float[] c = new float[m * n];
        Timing timing;
        String kernel;
        OptionalInt openCl = DeviceSelection.openClDevice(deviceOption.device());
        boolean onDevice = openCl.isPresent();
        if (onDevice) {
            OpenClGemmRun.Result r = OpenClGemmRun.run(openCl.getAsInt(), ta, tb, m, n, k, a, lda, b, ldb, c, runs, warmup);
            checkFirstRow(ta, tb, a, lda, b, ldb, c);
            timing = r.timing();
            kernel = r.kernel();
            noPeak = true;
        } else {
            try (CpuBackend backend = new CpuBackend(t)) {
                kernel = backend.toString();
                backend.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
                checkFirstRow(ta, tb, a, lda, b, ldb, c);
                timing = Timing.measure(() -> backend.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n),
                        runs, warmup, 0.1);
            }
        }
        double flop = 2.0 * m * n * k;
        double gflops = flop / timing.median() / 1e9;
        double peak = noPeak ? Double.NaN : FmaPeak.measure(t, 3, 0.3);
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOption.json()) {
            out.println(new JsonLine().put("benchmark", "gemm").put("backend", onDevice ? "opencl" : "cpu").put("variant", v)
                    .put("m", m).put("n", n).put("k", k).put("threads", t)
                    .put("gflops", gflops).put("gflops_min", flop / timing.max() / 1e9)
                    .put("gflops_max", flop / timing.min() / 1e9)
                    .put("seconds_median", timing.median()).put("runs", runs).put("reps_per_run", timing.reps())
                    .put("fma_peak_gflops", peak).put("fraction_of_peak", gflops / peak)
                    .put("kernel", kernel).put("java", Runtime.version().toString()));
        } else {
            out.printf(Locale.ROOT, "gemm %s M=%d N=%d K=%d threads=%d: %.1f GFLOP/s median (min %.1f, max %.1f) over %d runs of %d%n",
                    v, m, n, k, t, gflops, flop / timing.max() / 1e9, flop / timing.min() / 1e9, runs, timing.reps());
            if (!noPeak) {
                out.printf(Locale.ROOT, "measured FMA peak (%d thread%s): %.1f GFLOP/s -> %.1f%% of peak%n",
                        t, t == 1 ? "" : "s", peak, 100 * gflops / peak);
            }
            out.println("backend: " + kernel);
        }
        return 0;
    }

    /** Row 0 against the scalar reference, so a fast wrong kernel never reports a number. */
    private void checkFirstRow(Transpose ta, Transpose tb, float[] a, int lda, float[] b, int ldb, float[] c) {
        float[] rowOfA = new float[k];
        for (int p = 0; p < k; p++) {
            rowOfA[p] = ta.transposed() ? a[p * lda] : a[p];
        }
        float[] expected = new float[n];
        GemmRef.gemm(Transpose.NO, tb, 1, n, k, 1f, rowOfA, 0, k, b, 0, ldb, 0f, expected, 0, n);
        for (int j = 0; j < n; j++) {
            if (!(Math.abs(expected[j] - c[j]) <= 16 * Math.ulp(1f) * k)) {
                throw new IllegalStateException("gemm result differs from the reference at (0, " + j + "): "
                        + c[j] + " vs " + expected[j]);
            }
        }
    }
}
