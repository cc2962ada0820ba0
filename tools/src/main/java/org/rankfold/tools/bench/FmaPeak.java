package org.rankfold.tools.bench;

import java.util.concurrent.CountDownLatch;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's float32 FMA peak with a register-only loop: 16 independent chains of
 * {@code acc = acc*x + y} on the preferred vector species (enough chains to cover the FMA latency on
 * two pipes), no memory traffic. FLOPs = 2 * lanes per FMA. With T threads each runs the loop at once;
 * the peak is the best of several trials (noise only ever lowers it).
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 16;
    private static final int INNER = 1 << 16;

    private FmaPeak() {
    }

    /** GFLOP/s of {@code threads} threads together, best of {@code trials} trials of about trialSeconds. */
    public static double measure(int threads, int trials, double trialSeconds) throws InterruptedException {
        // warm-up on the measuring threads themselves: C2 must have compiled the loop (with its vectors in
        // registers) before any trial counts; a short warm-up on the caller alone is not enough
        long outers = 1;
        for (int i = 0; i < 8; i++) {
            run(threads, outers);
        }
        long start = System.nanoTime();
        sink(loop(64));
        double perOuter = (System.nanoTime() - start) / 64.0;
        outers = Math.max(1, (long) (trialSeconds * 1e9 / perOuter));
        run(threads, outers);
        double best = 0;
        for (int trial = 0; trial < trials; trial++) {
            best = Math.max(best, run(threads, outers));
        }
        return best;
    }

    private static double run(int threads, long outers) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                sink(loop(outers));
            });
            workers[t].start();
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double flops = 2.0 * S.length() * CHAINS * INNER * (double) outers * threads;
        return flops / seconds / 1e9;
    }

    private static volatile float sinkValue;

    private static void sink(float v) {
        sinkValue = v;
    }

    /** outers * INNER steps of 16 FMA chains; x < 1 keeps the values bounded and normal (no denormals). */
    private static float loop(long outers) {
        FloatVector x = FloatVector.broadcast(S, 0.9999999f);
        FloatVector y = FloatVector.broadcast(S, 0.001f);
        FloatVector a0 = FloatVector.broadcast(S, 0.0f);
        FloatVector a1 = FloatVector.broadcast(S, 0.1f);
        FloatVector a2 = FloatVector.broadcast(S, 0.2f);
        FloatVector a3 = FloatVector.broadcast(S, 0.3f);
        FloatVector a4 = FloatVector.broadcast(S, 0.4f);
        FloatVector a5 = FloatVector.broadcast(S, 0.5f);
        FloatVector a6 = FloatVector.broadcast(S, 0.6f);
        FloatVector a7 = FloatVector.broadcast(S, 0.7f);
        FloatVector a8 = FloatVector.broadcast(S, 0.8f);
        FloatVector a9 = FloatVector.broadcast(S, 0.9f);
        FloatVector a10 = FloatVector.broadcast(S, 1.0f);
        FloatVector a11 = FloatVector.broadcast(S, 1.1f);
        FloatVector a12 = FloatVector.broadcast(S, 1.2f);
        FloatVector a13 = FloatVector.broadcast(S, 1.3f);
        FloatVector a14 = FloatVector.broadcast(S, 1.4f);
        FloatVector a15 = FloatVector.broadcast(S, 1.5f);
        for (long o = 0; o < outers; o++) {
            for (int i = 0; i < INNER; i++) {
                a0 = a0.fma(x, y);
                a1 = a1.fma(x, y);
                a2 = a2.fma(x, y);
                a3 = a3.fma(x, y);
                a4 = a4.fma(x, y);
                a5 = a5.fma(x, y);
                a6 = a6.fma(x, y);
                a7 = a7.fma(x, y);
                a8 = a8.fma(x, y);
                a9 = a9.fma(x, y);
                a10 = a10.fma(x, y);
                a11 = a11.fma(x, y);
                a12 = a12.fma(x, y);
                a13 = a13.fma(x, y);
                a14 = a14.fma(x, y);
                a15 = a15.fma(x, y);
            }
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15);
        return s.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
