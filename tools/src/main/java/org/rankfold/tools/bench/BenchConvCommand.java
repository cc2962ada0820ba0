package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.ref.GemmRef;
import org.rankfold.kernels.ref.Im2colRef;
import org.rankfold.tools.UserError;

import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.ThreadsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rankfold bench conv}: one convolution layer's forward and backward pass on the CPU backend
 * (im2col + SGEMM, col2im; 1x1 stride-1 layers go straight to SGEMM): GFLOP/s, images/s and % of the
 * measured FMA peak. Backward does twice the forward's multiply-adds (dw and dx).
 */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = "One conv layer forward/backward: GFLOP/s, images/s, %% of the measured FMA peak.",
        footer = {"", "Examples:", "  ./rankfold bench conv --batch 128 --in-channels 32 --out-channels 64 --size 14 --kernel 3 --padding 1",
                "  ./rankfold bench conv --batch 1 --in-channels 64 --out-channels 16 --size 8 --kernel 1 --json"})
public final class BenchConvCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", description = "images per pass", defaultValue = "128")
    int batch;

    @Option(names = "--in-channels", description = "C", defaultValue = "32")
    int inChannels;

    @Option(names = "--out-channels", description = "OC", defaultValue = "64")
    int outChannels;

    @Option(names = "--size", description = "H = W of the input", defaultValue = "14")
    int size;

    @Option(names = "--kernel", description = "KH = KW", defaultValue = "3")
    int kernel;

    @Option(names = "--stride", description = "stride", defaultValue = "1")
    int stride;

    @Option(names = "--padding", description = "zero padding", defaultValue = "1")
    int padding;

    @Option(names = "--runs", description = "timed runs", defaultValue = "9")
    int runs;

    @Option(names = "--warmup", description = "warm-up seconds", defaultValue = "1.0")
    double warmup;

    @Option(names = "--no-peak", description = "skip measuring the FMA peak")
    boolean noPeak;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws InterruptedException {
        if (batch < 1 || inChannels < 1 || outChannels < 1 || size < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new UserError("--batch, --in-channels, --out-channels, --size, --kernel, --stride must be >= 1 and"
                    + " --padding >= 0");
        }
        Conv2dGeometry g;
        try {
            g = Conv2dGeometry.square(inChannels, size, size, kernel, stride, padding);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long xLen = (long) batch * g.inputSize();
        long colsLen = (long) batch * g.colRows() * g.colCols();
        long yLen = (long) batch * outChannels * g.colCols();
        if (Math.max(xLen, Math.max(colsLen, yLen)) > Integer.MAX_VALUE - 8) {
            throw new UserError("the layer's buffers exceed 2^31 elements; lower --batch");
        }
        int t = BenchOptions.threads(BenchOptions.threadsOrNull(threadsOption));
        BenchOptions.checkRuns(runs, warmup);
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = BenchOptions.uniform(rng, (int) xLen);
        float[] w = BenchOptions.uniform(rng, outChannels * g.colRows());
        float[] dy = BenchOptions.uniform(rng, (int) yLen);
        Timing fwd;
        Timing bwd;
        String backendName;
        try (CpuBackend backend = new CpuBackend(t)) {
            backendName = backend.toString();
            ConvLayerRun layer = new ConvLayerRun(backend, g, batch, outChannels, x, w, dy);
            layer.forward();
            checkFirstImage(g, x, w, layer.output());
            fwd = Timing.measure(layer::forward, runs, warmup, 0.2);
            bwd = Timing.measure(layer::backward, runs, warmup, 0.2);
        }
        long macs = (long) batch * outChannels * g.colRows() * g.colCols();
        double fwdGflops = 2.0 * macs / fwd.median() / 1e9;
        double bwdGflops = 4.0 * macs / bwd.median() / 1e9;
        double peak = noPeak ? Double.NaN : FmaPeak.measure(t, 3, 0.3);
        PrintWriter out = spec.commandLine().getOut();
        String shape = String.format(Locale.ROOT, "N=%d C=%d OC=%d %dx%d k=%d s=%d p=%d -> %dx%d", batch, inChannels,
                outChannels, size, size, kernel, stride, padding, g.outHeight(), g.outWidth());
        if (jsonOption.json()) {
            out.println(new JsonLine().put("benchmark", "conv").put("backend", "cpu").put("batch", batch)
                    .put("in_channels", inChannels).put("out_channels", outChannels).put("size", size)
                    .put("kernel", kernel).put("stride", stride).put("padding", padding).put("threads", t)
                    .put("pointwise", g.isPointwise()).put("forward_macs", macs)
                    .put("forward_seconds", fwd.median()).put("forward_gflops", fwdGflops)
                    .put("forward_images_per_second", batch / fwd.median())
                    .put("backward_seconds", bwd.median()).put("backward_gflops", bwdGflops)
                    .put("backward_images_per_second", batch / bwd.median())
                    .put("fma_peak_gflops", peak).put("forward_fraction_of_peak", fwdGflops / peak)
                    .put("backward_fraction_of_peak", bwdGflops / peak).put("runs", runs)
                    .put("kernel_config", backendName).put("java", Runtime.version().toString()));
        } else {
            out.printf(Locale.ROOT, "conv %s threads=%d%s%n", shape, t, g.isPointwise() ? " (pointwise: direct GEMM)" : "");
            out.printf(Locale.ROOT, "forward:  %8.3f ms  %7.1f GFLOP/s  %9.1f images/s%s%n", fwd.median() * 1e3, fwdGflops,
                    batch / fwd.median(), noPeak ? "" : String.format(Locale.ROOT, "  %.1f%% of peak", 100 * fwdGflops / peak));
            out.printf(Locale.ROOT, "backward: %8.3f ms  %7.1f GFLOP/s  %9.1f images/s%s%n", bwd.median() * 1e3, bwdGflops,
                    batch / bwd.median(), noPeak ? "" : String.format(Locale.ROOT, "  %.1f%% of peak", 100 * bwdGflops / peak));
            if (!noPeak) {
                out.printf(Locale.ROOT, "measured FMA peak (%d thread%s): %.1f GFLOP/s%n", t, t == 1 ? "" : "s", peak);
            }
            out.println("backend: " + backendName);
        }
        return 0;
    }

    /** Image 0's output against im2col and GEMM references, so a wrong kernel never reports a number. */
    private void checkFirstImage(Conv2dGeometry g, float[] x, float[] w, float[] y) {
        int kk = g.colRows();
        int hw = g.colCols();
        float[] cols = new float[kk * hw];
        Im2colRef.im2col(g, x, 0, cols, 0);
        float[] expected = new float[outChannels * hw];
        GemmRef.gemm(Transpose.NO, Transpose.NO, outChannels, hw, kk, 1f, w, 0, kk, cols, 0, hw, 0f, expected, 0, hw);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - y[i]) <= 16 * Math.ulp(1f) * kk)) {
                throw new IllegalStateException("conv output differs from the reference at " + i + ": " + y[i]
                        + " vs " + expected[i]);
            }
        }
    }
}
