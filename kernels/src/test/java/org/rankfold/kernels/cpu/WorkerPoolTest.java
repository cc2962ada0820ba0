package org.rankfold.kernels.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every part runs exactly once, failures reach the caller, nested calls do not deadlock. */
class WorkerPoolTest {

    @Test
    void runsEveryPartOncePerCall() {
        try (WorkerPool pool = new WorkerPool(4)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            for (int call = 0; call < 200; call++) {
                pool.run(1 + call % 4, hits::incrementAndGet);
            }
            // parts 0..3 run in 200, 150, 100, 50 of the calls
            assertEquals(200, hits.get(0));
            assertEquals(150, hits.get(1));
            assertEquals(100, hits.get(2));
            assertEquals(50, hits.get(3));
        }
    }

    @Test
    void splitCoversTheRangeExactlyOnce() {
        try (WorkerPool pool = new WorkerPool(3)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(1000);
            pool.split(1000, 10, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 1000; i++) {
                assertEquals(1, hits.get(i), "index " + i);
            }
        }
    }

    @Test
    void aWorkersFailureIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(2, t -> {
                if (t == 1) {
                    throw new IllegalStateException("part 1 failed");
                }
            }));
            assertEquals("part 1 failed", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(2);
            pool.run(2, hits::incrementAndGet);
            assertEquals(1, hits.get(1));
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.run(2, outer -> pool.run(2, inner -> hits.incrementAndGet(outer * 2 + inner)));
            for (int i = 0; i < 4; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }
}
