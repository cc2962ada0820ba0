package org.rankfold.engine.tensor;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step arena: a steady-state training step allocates no large arrays, results are the same with and
 * without it (no op relies on zeroed outputs), and arrays come back only when the outermost scope closes.
 * Runs on a one-thread CPU backend so that all allocation happens on the test thread.
 */
class StepArenaTest extends SeededTest {
    /**
     * Bound on the heap bytes of one steady-state step: 1 MiB, and under 1/20 of the bytes the arena
     * recycles per step (the step's activations: 7-20 MB for the nets below). What remains per step is
     * the graph itself (tensor and node objects, closures, shape arrays: ~30-120 KB for
     * these nets), while any activation-sized array allocated per step (the smallest here, a 64x4x4 map of
     * the small ResNet at batch 8, is 32 KiB; most are 0.25-2 MiB) soon breaks it.
     */
    private static final long STEADY_STEP_BYTES = 1L << 20;
    /**
     * Steady state means compiled code: until C2 has compiled the Vector API kernels, the interpreter and
     * C1 box every vector in a heap object (measured: 1.5-2.3 GB in the first step, ~20 MB per step for
     * the next few, and a few hundred KB while the last kernels wait in C2's queue behind other tests'
     * compilations), so steps run until {@link #STEADY_RUN} in a row stay under the bound, at most this many
     * (a kernel left in the fallback for good, as LaneSums512's widening once was on some runs, or an
     * activation-sized array allocated per step, never ends the warm-up and fails).
     */
    private static final int MAX_WARMUP_STEPS = 300;
    /** Consecutive small steps that count as steady: one small step can fall between two recompilations. */
    private static final int STEADY_RUN = 3;

    private Backend saved;
    private CpuBackend oneThread;

    @BeforeEach
    void oneThreadBackend() {
        saved = Backends.current();
        oneThread = new CpuBackend(1);
        Backends.setCurrent(oneThread);
    }

    @AfterEach
    void restoreBackend() {
        Backends.setCurrent(saved);
        oneThread.close();
    }

    private static final class Net {
        final Module model;
        final Tensor x;
        final int[] labels;
        final Sgd sgd;

        Net(String name, int channels, int size, int batch, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            model = ModelZoo.create(name, channels, size, 10, seed);
            x = Tensor.randn(rng, batch, channels, size, size);
            labels = new int[batch];
            Arrays.setAll(labels, i -> rng.nextInt(10));
            sgd = Sgd.momentum(model.parameters(), 0.05, 0.9, 5e-4);
        }

        float step(boolean arena) {
            model.train(true);
            sgd.zeroGrad();
            if (!arena) {
                return trainStep();
            }
            try (StepArena.Scope _ = StepArena.open()) {
                return trainStep();
            }
        }

        private float trainStep() {
            Tensor loss = model.forward(x).crossEntropy(labels);
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long stepBytes(Net net) {
        long before = allocatedBytes();
        net.step(true);
        return allocatedBytes() - before;
    }

    /** Under {@link #STEADY_STEP_BYTES} and under 1/20 of the bytes the arena recycles per step. */
    private static boolean isSmall(long stepBytes, long recycled) {
        return stepBytes < STEADY_STEP_BYTES && stepBytes * 20 < recycled;
    }

    private static void assertSteadyStepIsSmall(Net net, String what) {
        int warmup = 0;
        int smallInARow = 0;
        while (smallInARow < STEADY_RUN && warmup < MAX_WARMUP_STEPS) {
            // the bound of the assertion below: a step of C1 code at a few hundred KB is not steady yet
            long bytes = stepBytes(net);
            smallInARow = isSmall(bytes, 4 * StepArena.heldFloats()) ? smallInARow + 1 : 0;
            warmup++;
        }
        long recycled = 4 * StepArena.heldFloats();
        long worst = 0;
        for (int i = 0; i < 3; i++) {
            worst = Math.max(worst, stepBytes(net));
        }
        System.out.printf("%s: after %d warm-up steps a step allocates at most %.3f MB; the arena recycles %.1f MB%n",
                what, warmup, worst / 1e6, recycled / 1e6);
        assertTrue(isSmall(worst, recycled),
                what + ": a steady-state step allocated up to " + worst + " bytes (bound " + STEADY_STEP_BYTES
                        + ", and under 1/20 of the " + recycled + " bytes of activations recycled per step)");
    }

    @Test
    void steadyStateFashionNetStepAllocatesNoLargeArrays() {
        assertSteadyStepIsSmall(new Net("fashionnet", 1, 28, 16, 3), "fashionnet batch 16");
    }

    @Test
    void steadyStateResNetStepAllocatesNoLargeArrays() {
        assertSteadyStepIsSmall(new Net("resnet20", 3, 16, 8, 4), "resnet20 3x16x16 batch 8");
    }

    @Test
    void trainingIsBitIdenticalWithAndWithoutTheArena() {
        Net with = new Net("resnet20", 3, 8, 4, 5);
        Net without = new Net("resnet20", 3, 8, 4, 5);
        float[] a = new float[4];
        float[] b = new float[4];
        for (int i = 0; i < a.length; i++) {
            a[i] = with.step(true);
            b[i] = without.step(false);
        }
        assertArrayEquals(b, a, "losses with and without recycled (dirty) arrays");
        with.model.namedParameters().forEach((name, p) ->
                assertArrayEquals(without.model.namedParameters().get(name).data(), p.data(), name));
    }

    @Test
    void arraysComeBackOnlyWhenTheOutermostScopeCloses() {
        float[] first;
        float[] inner;
        float[] third;
        try (StepArena.Scope _ = StepArena.open()) {
            first = StepArena.floats(1000);
            try (StepArena.Scope _ = StepArena.open()) {
                inner = StepArena.floats(1000);
                assertNotSame(first, inner, "taken arrays are not handed out twice");
            }
            third = StepArena.floats(1000);
            assertNotSame(first, third, "a nested scope does not release the outer one's arrays");
            assertNotSame(inner, third, "a nested scope does not release its own arrays either");
        }
        assertEquals(3000, StepArena.heldFloats(), "the step's three arrays are held after it");
        try (StepArena.Scope _ = StepArena.open()) {
            float[] again = StepArena.floats(1000);
            assertTrue(again == first || again == inner || again == third, "recycled from the previous step");
        }
        assertEquals(1000, StepArena.heldFloats(), "arrays the last step did not take are dropped");
        assertTrue(!StepArena.isOpen());
        assertNotSame(StepArena.floats(1000), StepArena.floats(1000), "outside a scope every call allocates");
    }
}
