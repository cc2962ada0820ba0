package org.rankfold.engine.device;

import org.junit.jupiter.api.Assumptions;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * The OpenCL runtime shared by the device tests of one JVM (device chosen as in production), opened on
 * first use and closed by a shutdown hook. Without OpenCL the calling test is reported skipped with the
 * reason, which is also printed, so a machine without a platform never shows a pass.
 */
final class TestDevice {
    private static OpenClRuntime runtime;
    private static String unavailable;

    private TestDevice() {
    }

    static synchronized OpenClRuntime runtime() {
        if (runtime == null && unavailable == null) {
            try {
                runtime = OpenClRuntime.open(-1);
                System.out.println("device tests run on " + runtime.device().summary() + " [" + runtime.device().platformName() + "]");
                OpenClRuntime r = runtime;
                Runtime.getRuntime().addShutdownHook(new Thread(r::close, "opencl-device-test-close"));
            } catch (OpenClUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        if (unavailable != null) {
            System.err.println("SKIPPED (no OpenCL): " + unavailable);
        }
        Assumptions.assumeTrue(unavailable == null, () -> "no OpenCL device: " + unavailable);
        return runtime;
    }
}
