package org.rankfold.kernels.testing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The native memory a leak test watches. On glibc it is what malloc has handed out and not yet taken back
 * ({@code mallinfo2}: bytes in use in the arenas plus large mmapped blocks), which is where the OpenCL
 * driver's host allocations live. Resident memory is the wrong gauge there: freed memory that the
 * allocator keeps (the JIT compiler's arenas, tens of MiB after compiling the vector kernels) stays
 * resident and read as a 110 MiB "leak" on a loaded machine. Elsewhere it falls back to resident memory
 * minus the committed Java heap.
 */
public final class NativeMemory {
    /** struct mallinfo2: ten size_t fields; uordblks (7) is in use in the arenas, hblkhd (4) in mmapped blocks. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            IntStream.range(0, 10).mapToObj(i -> ValueLayout.JAVA_LONG.withName("f" + i))
                    .toArray(MemoryLayout[]::new));
    private static final MethodHandle MALLINFO = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(addr -> Linker.nativeLinker().downcallHandle(addr, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);
    private static final int SAMPLES = 5;

    private NativeMemory() {
    }

    /** What {@link #inUseKiB} measures, for messages. */
    public static String measure() {
        return MALLINFO != null ? "malloc in use, mallinfo2" : "RSS minus the committed Java heap";
    }

    /**
     * The smallest of a few readings 20 ms apart, so that a compilation running in the background at the
     * moment of a reading (its arena is in use until it ends) does not count.
     */
    public static long inUseKiB() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            min = Math.min(min, MALLINFO != null ? mallocInUseKiB() : residentKiB() - committedHeapKiB());
            if (i + 1 < SAMPLES) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return min;
    }

    private static long mallocInUseKiB() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) arena);
            return (info.getAtIndex(ValueLayout.JAVA_LONG, 7) + info.getAtIndex(ValueLayout.JAVA_LONG, 4)) / 1024;
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }

    private static long committedHeapKiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }

    /** VmRSS of this process in KiB (Linux); 0 where /proc is absent, which makes the check vacuous. */
    private static long residentKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
