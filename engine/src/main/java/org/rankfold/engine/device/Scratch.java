package org.rankfold.engine.device;

import org.rankfold.kernels.opencl.BufferAllocator;
import org.rankfold.kernels.opencl.DeviceBuffer;

/**
 * Temporary device buffers shared by the layers of one model (im2col columns, GEMM results in channel-major
 * layout, column gradients): a few numbered slots, each grown to the largest size asked so far, so a
 * steady-state step allocates nothing. A slot's content is valid only until the next layer uses it.
 */
final class Scratch implements AutoCloseable {
    /** Slots in use at once by one convolution's backward: output gradient, columns, column gradient. */
    static final int SLOTS = 3;
    private final BufferAllocator allocator;
    private final DeviceBuffer[] slots = new DeviceBuffer[SLOTS];

    Scratch(BufferAllocator allocator) {
        this.allocator = allocator;
    }

    /** Slot {@code slot} with room for at least {@code elements} floats (content undefined). */
    DeviceBuffer get(int slot, long elements) {
        DeviceBuffer b = slots[slot];
        if (b == null || b.elements() < elements) {
            if (b != null) {
                b.close();
            }
            slots[slot] = null;
            b = allocator.allocate(Math.max(1, elements));
            slots[slot] = b;
        }
        return b;
    }

    @Override
    public void close() {
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] != null) {
                slots[i].close();
                slots[i] = null;
            }
        }
    }
}
