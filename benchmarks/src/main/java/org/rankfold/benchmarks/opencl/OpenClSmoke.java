package org.rankfold.benchmarks.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.opencl.ClGemm;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.DeviceInfo;
import org.rankfold.kernels.opencl.GemmTiling;
import org.rankfold.kernels.opencl.OpenClBackend;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.ref.ReferenceBackend;
import org.rankfold.kernels.ref.SgdRef;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * A self-contained check for a machine with an OpenCL device (a GPU session needs only java and the
 * jars): every kernel against the scalar references on random inputs, then SGEMM timings, printed as one
 * JSON object on stdout (progress on stderr). Exit code 0 when every check passes, 1 when one fails, 2
 * when there is no OpenCL device.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *      -cp 'benchmarks/target/rankfold-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' \
 *      org.rankfold.benchmarks.opencl.OpenClSmoke [--device N] [--gemm-size 4096] [--reps 10] [--tilings default|all]</pre>
 *
 * (after {@code mvn package -pl benchmarks -am}; {@code tools/gpu/run-on-device.sh} runs it this way).
 *
 * Tolerances: GEMM {@code 8 * ulp(1) * K * |alpha| * max|A| * max|B|} (as the tests' {@code gemmAbs});
 * element-wise, pooling, im2col 1e-6 absolute plus 1e-6 relative (most are exact); reductions in double
 * 1e-9 relative; the large GEMM is checked on 256 sampled entries against double dot products.
 */
public final class OpenClSmoke {
    private final OpenClRuntime rt;
    private final OpenClBackend cl;
    private final ReferenceBackend ref = new ReferenceBackend();
    private final SplittableRandom rng = new SplittableRandom(20240829L);
    private final SmokeJson json = new SmokeJson();
    private boolean allPassed = true;

    private OpenClSmoke(OpenClRuntime rt) {
        this.rt = rt;
        this.cl = OpenClBackend.borrowing(rt);
    }

    public static void main(String[] args) {
        int device = -1;
        int size = 4096;
        int reps = 10;
        boolean allTilings = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = Integer.parseInt(args[++i]);
                case "--gemm-size" -> size = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--tilings" -> allTilings = args[++i].equals("all");
                default -> {
                    System.err.println("usage: OpenClSmoke [--device N] [--gemm-size N] [--reps R] [--tilings default|all]");
                    System.exit(2);
                }
            }
        }
        OpenClRuntime rt;
        try {
            rt = OpenClRuntime.open(device);
        } catch (OpenClUnavailableException e) {
            System.out.println(new SmokeJson().begin().put("available", false).put("reason", e.getMessage()).end());
            System.exit(2);
            return;
        }
        boolean ok;
        try (rt) {
            OpenClSmoke smoke = new OpenClSmoke(rt);
            ok = smoke.run(size, reps, allTilings);
            System.out.println(smoke.json);
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run(int size, int reps, boolean allTilings) {
        DeviceInfo d = rt.device();
        json.begin().put("available", true);
        json.beginObject("device").put("index", d.index()).put("name", d.name()).put("vendor", d.vendor())
                .put("type", d.type()).put("platform", d.platformName()).put("version", d.version())
                .put("driver", d.driverVersion()).put("compute_units", d.computeUnits())
                .put("global_memory_bytes", d.globalMemBytes()).put("local_memory_bytes", d.localMemBytes())
                .put("max_work_group_size", d.maxWorkGroupSize()).put("fp64", d.fp64())
                .put("gemm_tiling", rt.gemm().tiling().toString()).end();
        json.put("java", Runtime.version().toString());
        json.beginArray("checks");
        long t0 = System.nanoTime();
        checkGemm();
        checkConvolutionAndPooling();
        checkChannelAndElementwise();
        checkLossAndOptimizer();
        checkLargeGemm(size);
        json.endArray();
        json.put("checks_seconds", (System.nanoTime() - t0) / 1e9);
        json.put("all_passed", allPassed);
        json.beginArray("gemm_timings");
        for (Transpose[] p : new Transpose[][] {{Transpose.NO, Transpose.NO}, {Transpose.NO, Transpose.YES},
                {Transpose.YES, Transpose.NO}}) {
            time(rt.gemm(), p[0], p[1], size, reps);
        }
        if (allTilings) {
            List<GemmTiling> all = new ArrayList<>(GemmTiling.CANDIDATES);
            all.addAll(GemmTiling.TUNING);
            for (GemmTiling t : all) {
                if (t.fits(d.maxWorkGroupSize(), d.localMemBytes()) && !t.equals(rt.gemm().tiling())) {
                    time(new ClGemm(rt.programs(), rt.launcher(), d, t), Transpose.NO, Transpose.NO, size, reps);
                }
            }
        }
        json.endArray();
        json.end();
        return allPassed;
    }

    // ---- correctness ----

    private void checkGemm() {
        int[][] shapes = {{1, 1, 1}, {33, 65, 17}, {257, 129, 300}, {1000, 70, 513}, {130, 1031, 129}};
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int[] s : shapes) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    float[] a = uniform(m * k);
                    float[] b = uniform(k * n);
                    float[] c = uniform(m * n);
                    float[] expected = c.clone();
                    int lda = ta.transposed() ? m : k;
                    int ldb = tb.transposed() ? k : n;
                    ref.gemm(ta, tb, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, 0.5f, expected, 0, n);
                    cl.gemm(ta, tb, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, 0.5f, c, 0, n);
                    report("gemm " + (ta.transposed() ? "T" : "N") + (tb.transposed() ? "T" : "N") + " " + m + "x" + n
                            + "x" + k, expected, c, 0, 8 * Math.ulp(1f) * k * 2.0);
                }
            }
        }
    }

    private void checkConvolutionAndPooling() {
        List<Conv2dGeometry> convs = List.of(Conv2dGeometry.square(16, 32, 32, 3, 1, 1),
                Conv2dGeometry.square(8, 15, 17, 3, 2, 1), new Conv2dGeometry(4, 12, 12, 3, 3, 1, 1, 2, 2, 2, 2));
        for (Conv2dGeometry g : convs) {
            float[] x = uniform(g.inputSize());
            int colsLength = g.colRows() * g.colCols();
            float[] e = new float[colsLength];
            float[] a = new float[colsLength];
            ref.im2col(g, x, 0, e, 0);
            cl.im2col(g, x, 0, a, 0);
            report("im2col " + g, e, a, 0, 0);
            float[] cols = uniform(colsLength);
            float[] dx = uniform(g.inputSize());
            float[] dxe = dx.clone();
            ref.col2im(g, cols, 0, dxe, 0);
            cl.col2im(g, cols, 0, dx, 0);
            report("col2im " + g, dxe, dx, 1e-6, 1e-6);
        }
        List<Conv2dGeometry> pools = List.of(Conv2dGeometry.square(64, 32, 32, 2, 2, 0),
                Conv2dGeometry.square(32, 15, 15, 3, 2, 1));
        for (Conv2dGeometry g : pools) {
            int in = g.inputSize();
            int out = g.channels() * g.outHeight() * g.outWidth();
            float[] x = uniform(in);
            float[] ye = new float[out];
            float[] ya = new float[out];
            int[] ae = new int[out];
            int[] aa = new int[out];
            ref.maxPoolForward(g, x, 0, ye, 0, ae, 0);
            cl.maxPoolForward(g, x, 0, ya, 0, aa, 0);
            report("maxPoolForward " + g, ye, ya, 0, 0);
            report("maxPoolForward argmax " + g, toFloat(ae), toFloat(aa), 0, 0);
            float[] dy = uniform(out);
            float[] dxe = uniform(in);
            float[] dxa = dxe.clone();
            ref.maxPoolBackward(g, dy, 0, ae, 0, dxe, 0);
            cl.maxPoolBackward(g, dy, 0, ae, 0, dxa, 0);
            report("maxPoolBackward " + g, dxe, dxa, 1e-6, 1e-6);
            for (boolean pad : new boolean[] {true, false}) {
                ref.avgPoolForward(g, pad, x, 0, ye, 0);
                cl.avgPoolForward(g, pad, x, 0, ya, 0);
                report("avgPoolForward includePad=" + pad + " " + g, ye, ya, 1e-6, 1e-6);
                dxe = uniform(in);
                dxa = dxe.clone();
                ref.avgPoolBackward(g, pad, dy, 0, dxe, 0);
                cl.avgPoolBackward(g, pad, dy, 0, dxa, 0);
                report("avgPoolBackward includePad=" + pad + " " + g, dxe, dxa, 1e-6, 1e-6);
            }
        }
    }

    private void checkChannelAndElementwise() {
        int n = 32;
        int c = 64;
        int hw = 256;
        int len = n * c * hw;
        float[] x = uniform(len);
        float[] y = uniform(len);
        double[] se = new double[c];
        double[] sa = new double[c];
        ref.channelSums(n, c, hw, x, 0, se);
        cl.channelSums(n, c, hw, x, 0, sa);
        report("channelSums", se, sa, rt.device().fp64() ? 1e-9 : 1e-5, 1e-9 * hw * n);
        ref.channelDots(n, c, hw, x, 0, y, 0, se);
        cl.channelDots(n, c, hw, x, 0, y, 0, sa);
        report("channelDots", se, sa, rt.device().fp64() ? 1e-9 : 1e-5, 1e-9 * hw * n);
        float[] scale = uniform(c);
        float[] shift = uniform(c);
        float[] e = new float[len];
        float[] a = new float[len];
        ref.channelAffine(n, c, hw, x, 0, scale, shift, e, 0);
        cl.channelAffine(n, c, hw, x, 0, scale, shift, a, 0);
        report("channelAffine", e, a, 0, 0);
        float[] bias = uniform(n * c);
        ref.biasRelu(n * c, hw, x, 0, bias, e, 0, true);
        cl.biasRelu(n * c, hw, x, 0, bias, a, 0, true);
        report("biasRelu", e, a, 0, 0);
        e = y.clone();
        a = y.clone();
        ref.addInPlace(len, x, 0, e, 0);
        cl.addInPlace(len, x, 0, a, 0);
        report("addInPlace", e, a, 0, 0);
        e = y.clone();
        a = y.clone();
        ref.axpy(len, -0.3f, x, 0, e, 0);
        cl.axpy(len, -0.3f, x, 0, a, 0);
        report("axpy", e, a, 1e-6, 1e-7);
        ref.scale(len, 1.7f, x, 0, e, 0);
        cl.scale(len, 1.7f, x, 0, a, 0);
        report("scale", e, a, 0, 0);
        ref.relu(len, x, 0, e, 0);
        cl.relu(len, x, 0, a, 0);
        report("relu", e, a, 0, 0);
        float[] dy = uniform(len);
        e = y.clone();
        a = y.clone();
        ref.reluBackward(len, x, 0, dy, 0, e, 0);
        cl.reluBackward(len, x, 0, dy, 0, a, 0);
        report("reluBackward", e, a, 0, 0);
    }

    private void checkLossAndOptimizer() {
        int n = 256;
        int classes = 10;
        float[] logits = uniform(n * classes);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 20;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(classes);
        }
        float[] lpe = new float[n * classes];
        float[] lpa = new float[n * classes];
        double le = ref.softmaxCrossEntropy(n, classes, logits, 0, labels, lpe, 0);
        double la = cl.softmaxCrossEntropy(n, classes, logits, 0, labels, lpa, 0);
        report("softmaxCrossEntropy loss", new double[] {le}, new double[] {la}, 1e-6, 1e-6);
        report("softmaxCrossEntropy logProbs", lpe, lpa, 1e-6, 1e-6);
        float[] de = new float[n * classes];
        float[] da = new float[n * classes];
        ref.softmaxCrossEntropyBackward(n, classes, lpe, 0, labels, 0.5f, de, 0);
        cl.softmaxCrossEntropyBackward(n, classes, lpe, 0, labels, 0.5f, da, 0);
        report("softmaxCrossEntropyBackward", de, da, 1e-6, 1e-7);

        int len = 100_000;
        float[] w = uniform(len);
        float[] buf = new float[len];
        float[] got = new float[len];
        try (DeviceBuffer dw = rt.buffers().upload(w, 0, len);
             DeviceBuffer dg = rt.buffers().allocate(len);
             DeviceBuffer db = rt.buffers().allocate(len)) {
            for (int step = 0; step < 3; step++) {
                float[] g = uniform(len);
                SgdRef.step(len, w, 0, g, 0, buf, 0, 0.05f, 0.9f, 0f, 5e-4f, true, step == 0);
                dg.write(0, g, 0, len);
                rt.sgd().step(len, dw, 0, dg, 0, db, 0, 0.05f, 0.9f, 0f, 5e-4f, true, step == 0);
            }
            dw.read(0, got, 0, len);
        }
        report("sgd nesterov momentum, 3 steps", w, got, 0, 0);
    }

    /** A size x size x size product on the device, checked on 256 sampled entries in double. */
    private void checkLargeGemm(int size) {
        long elements = (long) size * size;
        float[] a = uniform((int) elements);
        float[] b = uniform((int) elements);
        float[] row = new float[size];
        double worst = 0;
        double tol = 8 * Math.ulp(1f) * size;
        try (DeviceBuffer da = rt.buffers().upload(a, 0, a.length);
             DeviceBuffer db = rt.buffers().upload(b, 0, b.length);
             DeviceBuffer dc = rt.buffers().allocate(elements)) {
            rt.gemm().gemm(Transpose.NO, Transpose.NO, size, size, size, 1f, da, 0, size, db, 0, size, 0f, dc, 0, size);
            for (int s = 0; s < 256; s++) {
                int i = rng.nextInt(size);
                int j = rng.nextInt(size);
                dc.read((long) i * size, row, 0, size);
                double sum = 0;
                for (int p = 0; p < size; p++) {
                    sum += (double) a[i * size + p] * b[p * size + j];
                }
                worst = Math.max(worst, Math.abs(sum - row[j]));
            }
        }
        entry("gemm NN " + size + "^3 (256 sampled entries)", worst, tol);
    }

    // ---- timing ----

    private void time(ClGemm gemm, Transpose ta, Transpose tb, int size, int reps) {
        long elements = (long) size * size;
        try (DeviceBuffer da = rt.buffers().allocate(elements);
             DeviceBuffer db = rt.buffers().allocate(elements);
             DeviceBuffer dc = rt.buffers().allocate(elements)) {
            float[] chunk = uniform(size);
            for (int r = 0; r < size; r++) {
                da.write((long) r * size, chunk, 0, size);
                db.write((long) r * size, chunk, 0, size);
            }
            for (int w = 0; w < 2; w++) {
                gemm.gemm(ta, tb, size, size, size, 1f, da, 0, size, db, 0, size, 0f, dc, 0, size);
            }
            rt.finish();
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                gemm.gemm(ta, tb, size, size, size, 1f, da, 0, size, db, 0, size, 0f, dc, 0, size);
            }
            rt.finish();
            double seconds = (System.nanoTime() - t0) / 1e9 / reps;
            double gflops = 2.0 * size * size * (double) size / seconds / 1e9;
            System.err.printf("gemm %s%s %d^3 %s: %.4f s, %.1f GFLOP/s%n", ta.transposed() ? "T" : "N",
                    tb.transposed() ? "T" : "N", size, gemm.tiling(), seconds, gflops);
            json.begin().put("variant", (ta.transposed() ? "T" : "N") + (tb.transposed() ? "T" : "N"))
                    .put("m", size).put("n", size).put("k", size).put("tiling", gemm.tiling().toString())
                    .put("reps", reps).put("seconds_per_gemm", seconds).put("gflops", gflops).end();
        }
    }

    // ---- helpers ----

    private void report(String name, float[] expected, float[] actual, double rtol, double atolExtra) {
        double worst = 0;
        double worstAllowed = 0;
        boolean ok = true;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            double allowed = atolExtra + rtol * Math.abs(expected[i]);
            boolean nanMismatch = Float.isNaN(actual[i]) != Float.isNaN(expected[i]);
            if (nanMismatch || (!Float.isNaN(expected[i]) && !(err <= allowed))) {
                ok = false;
            }
            if (err > worst) {
                worst = err;
                worstAllowed = allowed;
            }
        }
        record(name, worst, worstAllowed, ok);
    }

    private void report(String name, double[] expected, double[] actual, double rtol, double atol) {
        double worst = 0;
        boolean ok = true;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                ok = false;
            }
            worst = Math.max(worst, err);
        }
        record(name, worst, atol, ok);
    }

    private void entry(String name, double worst, double tolerance) {
        record(name, worst, tolerance, worst <= tolerance);
    }

    private void record(String name, double worst, double tolerance, boolean ok) {
        allPassed &= ok;
        System.err.printf("%s %s: max |error| %.3g%n", ok ? "PASS" : "FAIL", name, worst);
        json.begin().put("kernel", name).put("max_abs_error", worst).put("tolerance", tolerance).put("pass", ok).end();
    }

    private float[] uniform(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }
}
