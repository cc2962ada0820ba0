package org.rankfold.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed pool of threads for data-parallel kernels: {@link #run(int, IntConsumer)} runs parts
 * 0..parts-1, part 0 on the calling thread and part t on worker t, then waits for all of them. Part t is
 * always the same work item, so a kernel that splits its output into parts by index is deterministic.
 * Calls from different threads are serialized; a call from inside a part runs all parts inline (no
 * deadlock). Workers are daemon threads; between calls they spin for {@link #SPIN_NANOS}, then park.
 */
public final class WorkerPool implements AutoCloseable {
    /**
     * How long a waiting thread spins before it parks. A training step makes hundreds to thousands of
     * parallel calls with short serial gaps between them, and waking a parked thread costs tens of
     * microseconds (a futex round trip, more in a VM); spinning through the gaps took ResNet-20 training at
     * 2 threads from about 176 to 200 images/s here. The cost is at most this much CPU per idle period.
     */
    static final long SPIN_NANOS = 200_000;
    /**
     * Floats a part of a memory-bound kernel (channel reductions, layout copies, pooling) must get before the
     * kernel splits: waking a parked worker costs tens of microseconds in a VM, more than moving a few
     * thousand floats (the 7x7 average pool of a resnet20 at batch 1, 3,136 floats, once spent 17% of a
     * 2-thread run waiting for it; docs/benchmarks.md, 2026-12-04 evening).
     */
    static final int MIN_FLOATS_PER_PART = 1 << 15;
    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock callLock = new ReentrantLock();
    private final AtomicInteger remaining = new AtomicInteger();
    private final ThreadLocal<Boolean> insidePart = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private volatile IntConsumer task;
    private volatile int parts;
    private volatile long generation;
    private volatile Thread caller;
    private volatile boolean closed;
    private volatile Throwable failure;

    /** A pool that runs up to {@code threads} parts at once (threads - 1 workers plus the caller). */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            Thread t = new Thread(() -> workLoop(part), "rankfold-cpu-" + part);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs body(0..parts-1), parts &lt;= threads(), and returns when all are done; rethrows a part's failure. */
    public void run(int parts, IntConsumer body) {
        if (parts < 1 || parts > threads) {
            throw new IllegalArgumentException("parts must be in [1, " + threads + "], got " + parts);
        }
        if (parts == 1 || insidePart.get()) {
            for (int t = 0; t < parts; t++) {
                body.accept(t);
            }
            return;
        }
        callLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("WorkerPool is closed");
            }
            failure = null;
            task = body;
            this.parts = parts;
            caller = Thread.currentThread();
            remaining.set(parts - 1);
            generation++;
            for (int t = 1; t < parts; t++) {
                LockSupport.unpark(workers[t - 1]);
            }
            insidePart.set(Boolean.TRUE);
            try {
                body.accept(0);
            } finally {
                insidePart.set(Boolean.FALSE);
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (remaining.get() > 0) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                task = null;
            }
            Throwable f = failure;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error err) {
                throw err;
            }
        } finally {
            callLock.unlock();
        }
    }

    /** Items per part for {@link #split} when each moves floatsPerItem floats: MIN_FLOATS_PER_PART's worth, >= 1. */
    static int minItems(long floatsPerItem) {
        return (int) Math.max(1, MIN_FLOATS_PER_PART / Math.max(1L, floatsPerItem));
    }

    /** Whether the calling thread is running a part, where a nested call runs inline on it. */
    public boolean insidePart() {
        return insidePart.get();
    }

    /** A body over an index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Splits [0, total) into at most threads() contiguous ranges of at least minPerPart items (ranges depend
     * only on total, minPerPart and threads()) and runs them in parallel. Use only where items write
     * disjoint outputs, so the result is the same for any split.
     */
    public void split(int total, int minPerPart, RangeBody body) {
        if (total <= 0) {
            return;
        }
        int parts = (int) Math.max(1, Math.min(threads, total / (long) Math.max(1, minPerPart)));
        if (parts == 1 || insidePart.get()) {
            body.run(0, total);
            return;
        }
        run(parts, t -> body.run((int) ((long) total * t / parts), (int) ((long) total * (t + 1) / parts)));
    }

    private void workLoop(int part) {
        insidePart.set(Boolean.TRUE);
        long seen = 0;
        long idleSince = System.nanoTime();
        while (!closed) {
            long g = generation;
            if (g == seen) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = g;
            if (part >= parts) {
                continue;
            }
            try {
                task.accept(part);
            } catch (RuntimeException | Error e) {
                // handed to the caller, which rethrows it; the worker stays alive for the next call
                failure = e;
            } finally {
                if (remaining.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
                idleSince = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }
}
