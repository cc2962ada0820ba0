package org.rankfold.tools.bench;

import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;
import org.rankfold.tools.UserError;

/**
 * {@code bench gemm --device opencl[:N]}: the device SGEMM ({@code ClGemm}) on operands resident in device
 * buffers, each timed call enqueued and waited for (clFinish), so transfers are outside the timing. The
 * result comes back once for the caller's check against the reference.
 */
final class OpenClGemmRun {
    private OpenClGemmRun() {
    }

    /** Times C = op(A) op(B) on the device; writes the result into {@code c}; returns the timing and device name. */
    static Result run(int index, Transpose ta, Transpose tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb,
                      float[] c, int runs, double warmup) {
        try (OpenClRuntime rt = OpenClRuntime.open(index);
             DeviceBuffer da = rt.buffers().upload(a, 0, a.length);
             DeviceBuffer db = rt.buffers().upload(b, 0, b.length);
             DeviceBuffer dc = rt.buffers().allocate(c.length)) {
            Runnable op = () -> {
                rt.gemm().gemm(ta, tb, m, n, k, 1f, da, 0, lda, db, 0, ldb, 0f, dc, 0, n);
                rt.finish();
            };
            op.run();
            dc.read(0, c, 0, c.length);
            Timing t = Timing.measure(op, runs, warmup, 0.1);
            return new Result(t, "OpenCL " + rt.device().summary() + ", " + rt.gemm().describe());
        } catch (OpenClUnavailableException e) {
            throw new UserError("--device opencl: no OpenCL device: " + e.getMessage() + " (use --device cpu)");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError("--device opencl: " + e.getMessage());
        }
    }

    record Result(Timing timing, String kernel) {
    }
}
