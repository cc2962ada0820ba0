package org.rankfold.kernels.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Device buffers: offsets on both sides, ints, fill, device-side copy, counting by the allocator. */
class DeviceBufferTest {

    @Test
    void writeReadFillAndCopyWithOffsets() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        long liveBefore = rt.buffers().liveBuffers();
        try (DeviceBuffer a = rt.buffers().allocate(10);
             DeviceBuffer b = rt.buffers().allocate(10)) {
            assertEquals(liveBefore + 2, rt.buffers().liveBuffers());
            assertEquals(40, a.bytes());
            a.fill(7f, 0, 10);
            a.write(2, new float[] {9, 1, 2, 3, 9}, 1, 3);
            float[] got = new float[12];
            a.read(0, got, 1, 10);
            assertArrayEquals(new float[] {0, 7, 7, 1, 2, 3, 7, 7, 7, 7, 7, 0}, got);

            b.fill(-1f, 0, 10);
            a.copyTo(2, b, 5, 3);
            float[] gotB = new float[10];
            b.read(0, gotB, 0, 10);
            assertArrayEquals(new float[] {-1, -1, -1, -1, -1, 1, 2, 3, -1, -1}, gotB);

            b.write(0, new int[] {5, -6, 7}, 0, 3);
            int[] ints = new int[3];
            b.read(0, ints, 0, 3);
            assertArrayEquals(new int[] {5, -6, 7}, ints);
            assertThrows(IllegalArgumentException.class, () -> a.copyTo(8, b, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> a.fill(0f, 5, 6));
        }
        assertEquals(liveBefore, rt.buffers().liveBuffers());
    }

    @Test
    void emptyBuffersAndRejectedSizes() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        try (DeviceBuffer empty = rt.buffers().allocate(0)) {
            assertEquals(0, empty.elements());
            empty.write(0, new float[0], 0, 0);
        }
        assertThrows(IllegalArgumentException.class, () -> rt.buffers().allocate(-1));
        assertThrows(IllegalArgumentException.class,
                () -> rt.buffers().allocate(rt.device().maxAllocBytes() / 4 + 1));
    }
}
