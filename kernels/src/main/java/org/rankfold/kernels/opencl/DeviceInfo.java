package org.rankfold.kernels.opencl;

import java.lang.foreign.MemorySegment;

/**
 * What one OpenCL device reports about itself. {@code index} is its position in the flat list of all
 * devices of all platforms (the number {@code -Drankfold.opencl.device} and {@code --device opencl:N}
 * use). Memory sizes are in bytes.
 */
public record DeviceInfo(int index, int platformIndex, String platformName, String name, String vendor,
                         String type, int computeUnits, int maxClockMHz, long globalMemBytes, long localMemBytes,
                         long maxAllocBytes, long maxWorkGroupSize, String version, String driverVersion,
                         String openClCVersion, boolean fp64, boolean available, MemorySegment handle) {

    /** True for a GPU device. */
    public boolean isGpu() {
        return type.contains("GPU");
    }

    /** One line for logs: {@code #0 NVIDIA H200 (GPU, 132 CU, 141 GiB, OpenCL 3.0 CUDA)}. */
    public String summary() {
        return String.format("#%d %s (%s, %d CU, %.1f GiB, %s)", index, name, type, computeUnits,
                globalMemBytes / (double) (1L << 30), version);
    }
}
