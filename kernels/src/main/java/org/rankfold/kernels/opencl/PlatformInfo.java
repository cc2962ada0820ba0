package org.rankfold.kernels.opencl;

import java.util.List;

/** One OpenCL platform (a driver registered with the ICD loader) and its devices. */
public record PlatformInfo(int index, String name, String vendor, String version, List<DeviceInfo> devices) {
    public PlatformInfo {
        devices = List.copyOf(devices);
    }
}
