package org.rankfold.kernels.opencl;

import org.junit.jupiter.api.Assumptions;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * The OpenCL runtime shared by the OpenCL tests of one JVM, opened on first use (device chosen as in
 * production: {@code -Drankfold.opencl.device}, else the first GPU, else device 0). Without OpenCL the
 * calling test is reported skipped <b>and the reason is printed</b>, so a run without a platform never
 * looks like a pass. It is closed by a shutdown hook.
 */
final class OpenClTestDevice {
    private static OpenClRuntime runtime;
    private static String unavailable;

    private OpenClTestDevice() {
    }

    /** The shared runtime, or a skipped test whose message and stderr say why. */
    static synchronized OpenClRuntime runtime() {
        if (runtime == null && unavailable == null) {
            try {
                runtime = OpenClRuntime.open(-1);
                System.out.println("OpenCL tests run on " + runtime.device().summary()
                        + " [" + runtime.device().platformName() + "]");
                OpenClRuntime r = runtime;
                Runtime.getRuntime().addShutdownHook(new Thread(r::close, "opencl-test-close"));
            } catch (OpenClUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        assumeAvailable();
        return runtime;
    }

    /** Skips the calling test, printing why, when no OpenCL device can be opened. */
    static void assumeAvailable() {
        if (unavailable != null) {
            System.err.println("SKIPPED (no OpenCL): " + unavailable);
        }
        Assumptions.assumeTrue(unavailable == null, () -> "no OpenCL device: " + unavailable);
    }
}
