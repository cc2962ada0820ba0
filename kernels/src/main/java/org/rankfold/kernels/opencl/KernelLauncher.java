package org.rankfold.kernels.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

import org.rankfold.kernels.opencl.bindings.OpenCl;

/**
 * Part 4 of 4: sets a kernel's arguments and enqueues it on the context's in-order queue.
 *
 * <p>Arguments, in order: a {@link DeviceBuffer} (its {@code cl_mem}), {@code null} (a NULL
 * {@code __global} pointer, for optional inputs), {@link Integer} ({@code int}), {@link Long}
 * ({@code long}), {@link Float} ({@code float}) or {@link LocalMemory} ({@code __local} scratch of a size).
 * Argument setting and the enqueue happen under the kernel's lock, because a {@code cl_kernel}'s
 * arguments are shared state; OpenCL copies them at enqueue time.
 */
public final class KernelLauncher {
    /** {@code __local} scratch memory of the given size, as a kernel argument. */
    public record LocalMemory(long bytes) {
    }

    /** Work-group size for 1-D element-wise launches, capped by each kernel's limit. */
    public static final int DEFAULT_1D_GROUP = 256;

    private final OpenClContext context;
    private final AtomicLong launches = new AtomicLong();

    public KernelLauncher(OpenClContext context) {
        this.context = context;
    }

    /** Enqueues {@code kernel} over {@code global} work-items in groups of {@code local} (null: driver's choice). */
    public void launch(ClKernel kernel, long[] global, long[] local, Object... args) {
        enqueue(kernel, global, local, false, args);
    }

    /**
     * One work-item per element {@code i < n}: the global size is n rounded up to the group size, so the
     * kernel must return early for {@code get_global_id(0) >= n}. Nothing is enqueued for n == 0.
     */
    public void launch1d(ClKernel kernel, long n, Object... args) {
        if (n <= 0) {
            return;
        }
        long group = Math.min(DEFAULT_1D_GROUP, kernel.maxWorkGroupSize());
        launch(kernel, new long[] {roundUp(n, group)}, new long[] {group}, args);
    }

    /** Enqueues and blocks until this kernel has finished (waits on its event, then releases it). */
    public void launchAndWait(ClKernel kernel, long[] global, long[] local, Object... args) {
        MemorySegment event = enqueue(kernel, global, local, true, args);
        OpenCl cl = context.cl();
        try {
            cl.waitForEvent(event);
        } finally {
            cl.releaseEvent(event);
        }
    }

    /** Kernels enqueued so far. */
    public long launches() {
        return launches.get();
    }

    /** The smallest multiple of {@code m} that is >= {@code n}. */
    public static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }

    private MemorySegment enqueue(ClKernel kernel, long[] global, long[] local, boolean wantEvent, Object[] args) {
        for (long g : global) {
            if (g <= 0) {
                throw new IllegalArgumentException(kernel + ": global size must be positive, got " + g);
            }
        }
        OpenCl cl = context.cl();
        synchronized (kernel) {
            try (Arena arena = Arena.ofConfined()) {
                for (int i = 0; i < args.length; i++) {
                    switch (args[i]) {
                        case null -> cl.setKernelArg(kernel.handle(), i, arena.allocate(ValueLayout.ADDRESS));
                        case DeviceBuffer b -> {
                            MemorySegment v = arena.allocate(ValueLayout.ADDRESS);
                            v.set(ValueLayout.ADDRESS, 0, b.handle());
                            cl.setKernelArg(kernel.handle(), i, v);
                        }
                        case Integer x -> cl.setKernelArg(kernel.handle(), i, arena.allocateFrom(ValueLayout.JAVA_INT, x));
                        case Long x -> cl.setKernelArg(kernel.handle(), i, arena.allocateFrom(ValueLayout.JAVA_LONG, x));
                        case Float x -> cl.setKernelArg(kernel.handle(), i, arena.allocateFrom(ValueLayout.JAVA_FLOAT, x));
                        case LocalMemory l -> cl.setKernelArgLocal(kernel.handle(), i, l.bytes());
                        default -> throw new IllegalArgumentException(kernel + ": argument " + i + " has unsupported type "
                                + args[i].getClass().getName());
                    }
                }
                MemorySegment event = cl.enqueueNDRange(context.queue(), kernel.handle(), global, local, wantEvent);
                launches.incrementAndGet();
                return event;
            }
        }
    }
}
