package org.rankfold.kernels.opencl;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

import org.rankfold.kernels.opencl.bindings.ClConstants;
import org.rankfold.kernels.opencl.bindings.OpenCl;

/**
 * Part 2 of 4: creates and releases device buffers of one context and keeps count of what is live, so
 * a leak shows up as a number ({@link #liveBuffers()}, {@link #liveBytes()}).
 */
public final class BufferAllocator {
    private final OpenClContext context;
    private final AtomicLong liveBuffers = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();

    public BufferAllocator(OpenClContext context) {
        this.context = context;
    }

    /** A read-write buffer of {@code elements} 4-byte elements (floats or ints), uninitialized. */
    public DeviceBuffer allocate(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("buffer size must be >= 0 elements, got " + elements);
        }
        long bytes = Math.max(4, elements * 4); // OpenCL rejects size 0 (CL_INVALID_BUFFER_SIZE)
        if (bytes > context.device().maxAllocBytes()) {
            throw new IllegalArgumentException("buffer of " + bytes + " bytes exceeds the device's largest allocation ("
                    + context.device().maxAllocBytes() + " bytes, CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
        }
        MemorySegment mem = context.cl().createBuffer(context.context(), ClConstants.CL_MEM_READ_WRITE, bytes);
        liveBuffers.incrementAndGet();
        liveBytes.addAndGet(bytes);
        return new DeviceBuffer(this, mem, elements * 4);
    }

    /** A buffer holding a copy of {@code src}. */
    public DeviceBuffer upload(float[] src, int offset, int length) {
        DeviceBuffer b = allocate(length);
        try {
            b.write(0, src, offset, length);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** A buffer holding a copy of {@code src} (ints). */
    public DeviceBuffer upload(int[] src, int offset, int length) {
        DeviceBuffer b = allocate(length);
        try {
            b.write(0, src, offset, length);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    public long liveBuffers() {
        return liveBuffers.get();
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    OpenCl cl() {
        return context.cl();
    }

    MemorySegment queue() {
        return context.queue();
    }

    void release(DeviceBuffer buffer, MemorySegment mem) {
        context.cl().releaseMemObject(mem);
        liveBuffers.decrementAndGet();
        liveBytes.addAndGet(-Math.max(4, buffer.bytes()));
    }
}
