package org.rankfold.kernels.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A device buffer of {@code bytes} bytes, read and written as floats or ints (4-byte elements, index
 * {@code i} at byte {@code 4*i}). Reads and writes block until done and stage through native memory of
 * a confined arena (heap arrays cannot be handed to the driver). Closing releases the {@code cl_mem};
 * it is idempotent. Obtain from {@link BufferAllocator}.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final BufferAllocator owner;
    private final MemorySegment mem;
    private final long bytes;
    private boolean closed;

    DeviceBuffer(BufferAllocator owner, MemorySegment mem, long bytes) {
        this.owner = owner;
        this.mem = mem;
        this.bytes = bytes;
    }

    /** Size in bytes. */
    public long bytes() {
        return bytes;
    }

    /** Size in 4-byte elements (floats or ints). */
    public long elements() {
        return bytes / 4;
    }

    /** The {@code cl_mem} handle, for kernel arguments. */
    MemorySegment handle() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + bytes + " bytes is closed");
        }
        return mem;
    }

    /** Copies {@code src[srcOffset .. srcOffset+length)} to elements {@code [index, index+length)}. */
    public void write(long index, float[] src, int srcOffset, int length) {
        checkRange("write", index, length, src.length, srcOffset);
        if (length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_FLOAT, length);
            MemorySegment.copy(src, srcOffset, staging, ValueLayout.JAVA_FLOAT, 0, length);
            owner.cl().writeBuffer(owner.queue(), handle(), index * 4, staging);
        }
    }

    /** Copies elements {@code [index, index+length)} into {@code dst[dstOffset ..)}. */
    public void read(long index, float[] dst, int dstOffset, int length) {
        checkRange("read", index, length, dst.length, dstOffset);
        if (length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_FLOAT, length);
            owner.cl().readBuffer(owner.queue(), handle(), index * 4, staging);
            MemorySegment.copy(staging, ValueLayout.JAVA_FLOAT, 0, dst, dstOffset, length);
        }
    }

    /** Int version of {@link #write(long, float[], int, int)} (labels, argmax). */
    public void write(long index, int[] src, int srcOffset, int length) {
        checkRange("write", index, length, src.length, srcOffset);
        if (length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_INT, length);
            MemorySegment.copy(src, srcOffset, staging, ValueLayout.JAVA_INT, 0, length);
            owner.cl().writeBuffer(owner.queue(), handle(), index * 4, staging);
        }
    }

    /** Int version of {@link #read(long, float[], int, int)}. */
    public void read(long index, int[] dst, int dstOffset, int length) {
        checkRange("read", index, length, dst.length, dstOffset);
        if (length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_INT, length);
            owner.cl().readBuffer(owner.queue(), handle(), index * 4, staging);
            MemorySegment.copy(staging, ValueLayout.JAVA_INT, 0, dst, dstOffset, length);
        }
    }

    /**
     * Reads {@code length} doubles starting at double index {@code index} (byte {@code 8*index}) into
     * {@code dst[dstOffset ..)}; for results of kernels that accumulate in double.
     */
    public void readDoubles(long index, double[] dst, int dstOffset, int length) {
        checkRange("readDoubles", 2 * index, 2L * length, Long.MAX_VALUE, 0);
        if (dstOffset < 0 || dstOffset > dst.length - length) {
            throw new IllegalArgumentException("readDoubles: host range [" + dstOffset + ", " + (dstOffset + length)
                    + ") outside the array of " + dst.length + " elements");
        }
        if (length == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment staging = arena.allocate(ValueLayout.JAVA_DOUBLE, length);
            owner.cl().readBuffer(owner.queue(), handle(), index * 8, staging);
            MemorySegment.copy(staging, ValueLayout.JAVA_DOUBLE, 0, dst, dstOffset, length);
        }
    }

    /** Enqueues setting elements {@code [index, index+length)} to {@code value}. */
    public void fill(float value, long index, long length) {
        checkRange("fill", index, length, Long.MAX_VALUE, 0);
        if (length > 0) {
            owner.cl().fillBuffer(owner.queue(), handle(), value, index * 4, length * 4);
        }
    }

    /** Enqueues copying {@code length} elements from this buffer to another (or to a disjoint range of this). */
    public void copyTo(long index, DeviceBuffer dst, long dstIndex, long length) {
        checkRange("copyTo", index, length, Long.MAX_VALUE, 0);
        dst.checkRange("copyTo", dstIndex, length, Long.MAX_VALUE, 0);
        if (length > 0) {
            owner.cl().copyBuffer(owner.queue(), handle(), dst.handle(), index * 4, dstIndex * 4, length * 4);
        }
    }

    /** Throws unless elements {@code [index, index+length)} lie inside this buffer. */
    void checkRange(String what, long index, long length, long hostLength, int hostOffset) {
        if (index < 0 || length < 0 || index > elements() - length) {
            throw new IllegalArgumentException(what + ": elements [" + index + ", " + (index + length)
                    + ") outside the device buffer of " + elements() + " elements");
        }
        if (hostOffset < 0 || hostOffset > hostLength - length) {
            throw new IllegalArgumentException(what + ": host range [" + hostOffset + ", " + (hostOffset + length)
                    + ") outside the array of " + hostLength + " elements");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(this, mem);
        }
    }
}
