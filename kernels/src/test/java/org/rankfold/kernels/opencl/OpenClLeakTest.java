package org.rankfold.kernels.opencl;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.opencl.bindings.OpenCl;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;
import org.rankfold.kernels.testing.NativeMemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing leaks over thousands of calls: every OpenCL object created is released (counted by the
 * binding), buffers balance, and the native memory in use stays flat ({@link NativeMemory}) while 2000
 * rounds each allocate and release 2 x 1 MiB of device memory and run three kernels (6000 launches). A
 * leaked buffer would add 4 GiB; the allowance is 128 MiB.
 */
class OpenClLeakTest {
    private static final int ROUNDS = 2000;
    private static final int ELEMENTS = 256 * 1024;

    @Test
    void thousandsOfLaunchesAndBuffersKeepMemoryFlat() throws OpenClUnavailableException {
        OpenClTestDevice.runtime(); // skips, printing why, without OpenCL
        OpenCl cl = OpenCl.get();
        Map<OpenCl.ObjectKind, Long> before = cl.liveObjects();
        float[] host = new float[ELEMENTS];
        java.util.Arrays.fill(host, 1f);
        float[] back = new float[16];
        long nativeAfterWarmup = 0;
        try (OpenClRuntime rt = OpenClRuntime.open(-1)) {
            for (int round = 0; round < ROUNDS; round++) {
                try (DeviceBuffer x = rt.buffers().upload(host, 0, ELEMENTS);
                     DeviceBuffer y = rt.buffers().allocate(ELEMENTS)) {
                    rt.elementwise().scale(ELEMENTS, 2f, x, 0, y, 0);
                    rt.elementwise().axpy(ELEMENTS, 0.5f, x, 0, y, 0);
                    rt.launcher().launchAndWait(rt.programs().kernel("elementwise", "", "relu"),
                            new long[] {ELEMENTS}, null, (long) ELEMENTS, y, 0L, y, 0L);
                    y.read(ELEMENTS - 16, back, 0, 16);
                }
                if (round == 200) {
                    nativeAfterWarmup = NativeMemory.inUseKiB();
                }
            }
            assertEquals(2.5f, back[15], "the work was done");
            assertEquals(0, rt.buffers().liveBuffers(), "buffers all released");
            assertEquals(0, rt.buffers().liveBytes());
            assertTrue(rt.launcher().launches() >= 3L * ROUNDS);
            long growthKiB = NativeMemory.inUseKiB() - nativeAfterWarmup;
            System.out.println("OpenClLeakTest: growth of the native memory in use (" + NativeMemory.measure()
                    + ") after warm-up over " + (ROUNDS - 200) + " rounds: " + growthKiB + " KiB");
            assertTrue(growthKiB < 128 * 1024, "native memory in use grew by " + growthKiB + " KiB");
        }
        assertEquals(before, cl.liveObjects(), "every context, queue, buffer, program, kernel and event released");
    }

    @Test
    void theGaugeSeesTheDriversMemory() throws OpenClUnavailableException {
        OpenClTestDevice.runtime();
        float[] host = new float[ELEMENTS * 4];
        try (OpenClRuntime rt = OpenClRuntime.open(-1)) {
            long before = NativeMemory.inUseKiB();
            DeviceBuffer[] held = new DeviceBuffer[16];
            for (int i = 0; i < held.length; i++) {
                held[i] = rt.buffers().upload(host, 0, host.length); // 16 x 4 MiB
            }
            rt.finish();
            long grown = NativeMemory.inUseKiB() - before;
            for (DeviceBuffer b : held) {
                b.close();
            }
            // Without this the leak test above could not fail: 64 MiB of device buffers must show.
            assertTrue(grown >= 48 * 1024, "64 MiB of device buffers raised the gauge (" + NativeMemory.measure()
                    + ") by only " + grown + " KiB");
        }
    }

    @Test
    void openingAndClosingRuntimesReleasesEverything() throws OpenClUnavailableException {
        OpenClTestDevice.runtime();
        OpenCl cl = OpenCl.get();
        Map<OpenCl.ObjectKind, Long> before = cl.liveObjects();
        for (int i = 0; i < 20; i++) {
            try (OpenClRuntime rt = OpenClRuntime.open(-1);
                 DeviceBuffer b = rt.buffers().allocate(100)) {
                rt.elementwise().relu(100, b, 0, b, 0);
                rt.finish();
            }
        }
        assertEquals(before, cl.liveObjects());
    }
}
