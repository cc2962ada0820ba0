package org.rankfold.kernels.opencl;

import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.opencl.bindings.SignalHandlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM keeps its signal handlers while the OpenCL driver compiles: after a program no cache can hold
 * has been built (PoCL then runs LLVM, which installs crash handlers), SIGSEGV, SIGBUS, SIGILL and SIGFPE
 * are still handled by libjvm.so. Without signal chaining they are LLVM's and PoCL's, and the test runner's
 * JVM died of a bare "Segmentation fault" once in CI; the build preloads libjsig.so into the test JVMs as
 * {@code ./rankfold} does into its own (SignalHandlers).
 */
class SignalChainingTest {
    @Test
    void theJvmStillOwnsItsSignalsAfterTheDriverCompiles() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        assertTrue(SignalHandlers.chainingLoaded(), "the test JVM was started without libjsig.so in LD_PRELOAD "
                + "(the Surefire configuration of the parent pom sets it)");
        // A build option no driver cache has seen, so that the compiler really runs.
        rt.programs().kernel("elementwise", "-DRANKFOLD_CACHE_MISS=" + System.nanoTime(), "scale");
        Assumptions.assumeTrue(SignalHandlers.owner(SignalHandlers.SIGSEGV).isPresent(),
                "the signal table cannot be queried here (not Linux/glibc), nor is there a libjsig.so to preload");
        for (int signal : new int[] {SignalHandlers.SIGSEGV, SignalHandlers.SIGBUS, SignalHandlers.SIGILL, SignalHandlers.SIGFPE}) {
            assertEquals(Optional.of("libjvm.so"), SignalHandlers.owner(signal), "handler of signal " + signal);
        }
    }
}
