package org.rankfold.engine.device;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.datasets.loader.Batch;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.train.DeviceSession;
import org.rankfold.engine.train.StepResult;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.opencl.bindings.OpenCl;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;
import org.rankfold.kernels.testing.NativeMemory;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long run allocates nothing per step and releases everything at the end: 1500 training steps of a
 * small network (about 30 kernel launches each, 45,000 in all) plus evaluation steps and syncs keep the
 * device buffer count constant after the first step, the native memory in use flat (allowance 64 MiB)
 * and closing the session returns the binding's live object counts to where they were.
 */
class DeviceLeakTest extends SeededTest {
    private static final int STEPS = 1500;

    @Test
    void thousandsOfStepsKeepBuffersAndMemoryFlat() throws OpenClUnavailableException {
        OpenClRuntime rt = TestDevice.runtime();
        SplittableRandom rng = random();
        Sequential model = new Sequential()
                .add("conv", new Conv2d(1, 3, 3, 1, 1, false, rng)).add("bn", new BatchNorm2d(3)).add("relu", new ReLU())
                .add("pool", new MaxPool2d(2, 2, 0)).add("flatten", new Flatten()).add("fc", new Linear(12, 3, true, rng));
        Sgd sgd = Sgd.momentum(model.parameters(), 0.01, 0.9, 5e-4);
        float[] images = uniform(rng, 4 * 16);
        int[] labels = {0, 1, 2, 1};
        Batch batch = new Batch(0, 0, images, labels, 1, 4, 4);
        try (DeviceSession warmup = new OpenClComputeDevice(rt).open(model, null)) {
            warmup.evalStep(batch); // builds the programs (cached by the runtime for its lifetime) ...
        }
        try (DeviceSession warmup = new OpenClComputeDevice(rt).open(model, Sgd.momentum(model.parameters(), 0, 0, 0))) {
            warmup.trainStep(batch, null, 0, 0); // ... of training too, so the counts below see the session alone
        }
        Map<OpenCl.ObjectKind, Long> before = OpenCl.get().liveObjects();
        long buffersBefore = rt.buffers().liveBuffers();
        long buffersAfterFirst;
        long nativeAfterWarmup = 0;
        StepResult last = null;
        try (DeviceSession session = new OpenClComputeDevice(rt).open(model, sgd)) {
            session.trainStep(batch, null, 0, 0);
            buffersAfterFirst = rt.buffers().liveBuffers();
            for (int s = 1; s < STEPS; s++) {
                last = session.trainStep(batch, null, 0, s);
                if (s % 100 == 0) {
                    session.evalStep(batch);
                    session.syncToHost();
                    assertEquals(buffersAfterFirst, rt.buffers().liveBuffers(), "device buffers after step " + s);
                }
                if (s == 300) {
                    nativeAfterWarmup = NativeMemory.inUseKiB();
                }
            }
        }
        long growth = NativeMemory.inUseKiB() - nativeAfterWarmup;
        System.out.println("DeviceLeakTest: " + STEPS + " steps, last loss " + last.loss() + ", growth of the native "
                + "memory in use after warm-up (" + NativeMemory.measure() + "): " + growth + " KiB");
        assertTrue(last.loss() < 0.5, "the tiny problem is learned (loss " + last.loss() + ")");
        assertTrue(growth < 64 * 1024, "native memory in use grew by " + growth + " KiB (" + NativeMemory.measure() + ")");
        assertEquals(buffersBefore, rt.buffers().liveBuffers(), "every buffer of the session released");
        assertEquals(before, OpenCl.get().liveObjects(), "OpenCL objects back to their counts: " + Arrays.toString(
                OpenCl.ObjectKind.values()));
    }
}
