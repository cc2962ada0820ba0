package org.rankfold.kernels.opencl;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.rankfold.kernels.opencl.bindings.ClConstants;
import org.rankfold.kernels.opencl.bindings.OpenCl;
import org.rankfold.kernels.opencl.bindings.OpenClException;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * Discovers OpenCL platforms and devices, and picks one: the device of flat index
 * {@code -Drankfold.opencl.device=N} when given, else the first GPU, else device 0.
 */
public final class OpenClDevices {
    /** The system property that selects a device by its flat index. */
    public static final String DEVICE_PROPERTY = "rankfold.opencl.device";

    private OpenClDevices() {
    }

    /** The platforms found, or why there are none usable. Never throws for a missing OpenCL. */
    public record Discovery(List<PlatformInfo> platforms, Optional<String> unavailableReason) {
        public Discovery {
            platforms = List.copyOf(platforms);
        }

        /** All devices of all platforms in flat-index order. */
        public List<DeviceInfo> devices() {
            List<DeviceInfo> all = new ArrayList<>();
            platforms.forEach(p -> all.addAll(p.devices()));
            return all;
        }
    }

    /** Lists every platform and device through the shared binding. */
    public static Discovery discover() {
        OpenCl cl;
        try {
            cl = OpenCl.get();
        } catch (OpenClUnavailableException e) {
            return new Discovery(List.of(), Optional.of(e.getMessage()));
        }
        return discover(cl);
    }

    /** Lists every platform and device through the given binding. */
    public static Discovery discover(OpenCl cl) {
        List<MemorySegment> platformIds;
        try {
            platformIds = cl.platformIds();
        } catch (OpenClException e) {
            return new Discovery(List.of(), Optional.of("the OpenCL loader " + cl.library()
                    + " could not list platforms: " + e.getMessage()));
        }
        if (platformIds.isEmpty()) {
            return new Discovery(List.of(), Optional.of("the OpenCL loader " + cl.library()
                    + " found no platform (no driver registered in /etc/OpenCL/vendors); install one, e.g. "
                    + "'apt-get install pocl-opencl-icd' for the CPU or the GPU vendor's OpenCL driver"));
        }
        List<PlatformInfo> platforms = new ArrayList<>();
        int flat = 0;
        for (int p = 0; p < platformIds.size(); p++) {
            MemorySegment pid = platformIds.get(p);
            String pname = cl.platformInfoString(pid, ClConstants.CL_PLATFORM_NAME);
            List<DeviceInfo> devices = new ArrayList<>();
            for (MemorySegment did : cl.deviceIds(pid, ClConstants.CL_DEVICE_TYPE_ALL)) {
                devices.add(describe(cl, flat++, p, pname, did));
            }
            platforms.add(new PlatformInfo(p, pname, cl.platformInfoString(pid, ClConstants.CL_PLATFORM_VENDOR),
                    cl.platformInfoString(pid, ClConstants.CL_PLATFORM_VERSION), devices));
        }
        Optional<String> reason = flat == 0
                ? Optional.of(platforms.size() + " OpenCL platform(s) found but no device in any of them")
                : Optional.empty();
        return new Discovery(platforms, reason);
    }

    /**
     * The device to use: index {@code -Drankfold.opencl.device} if set, else {@code preferred} if not
     * negative, else the first GPU, else the first device.
     */
    public static DeviceInfo select(Discovery discovery, int preferred) {
        List<DeviceInfo> all = discovery.devices();
        if (all.isEmpty()) {
            throw new IllegalStateException("no OpenCL device: " + discovery.unavailableReason().orElse("none found"));
        }
        int index = preferred;
        String prop = System.getProperty(DEVICE_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            try {
                index = Integer.parseInt(prop.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + DEVICE_PROPERTY + "=" + prop + ": expected a device index", e);
            }
        }
        if (index < 0) {
            return all.stream().filter(DeviceInfo::isGpu).findFirst().orElse(all.get(0));
        }
        if (index >= all.size()) {
            throw new IllegalArgumentException("OpenCL device index " + index + " out of range: " + all.size()
                    + " device(s) found (0.." + (all.size() - 1) + "); see 'rankfold devices'");
        }
        return all.get(index);
    }

    private static DeviceInfo describe(OpenCl cl, int flat, int platformIndex, String platformName, MemorySegment d) {
        String ext = cl.deviceInfoString(d, ClConstants.CL_DEVICE_EXTENSIONS);
        return new DeviceInfo(flat, platformIndex, platformName,
                cl.deviceInfoString(d, ClConstants.CL_DEVICE_NAME),
                cl.deviceInfoString(d, ClConstants.CL_DEVICE_VENDOR),
                typeName(cl.deviceInfoLong(d, ClConstants.CL_DEVICE_TYPE)),
                cl.deviceInfoInt(d, ClConstants.CL_DEVICE_MAX_COMPUTE_UNITS),
                cl.deviceInfoInt(d, ClConstants.CL_DEVICE_MAX_CLOCK_FREQUENCY),
                cl.deviceInfoLong(d, ClConstants.CL_DEVICE_GLOBAL_MEM_SIZE),
                cl.deviceInfoLong(d, ClConstants.CL_DEVICE_LOCAL_MEM_SIZE),
                cl.deviceInfoLong(d, ClConstants.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                cl.deviceInfoLong(d, ClConstants.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                cl.deviceInfoString(d, ClConstants.CL_DEVICE_VERSION),
                cl.deviceInfoString(d, ClConstants.CL_DRIVER_VERSION),
                cl.deviceInfoString(d, ClConstants.CL_DEVICE_OPENCL_C_VERSION),
                ext.contains("cl_khr_fp64"),
                cl.deviceInfoInt(d, ClConstants.CL_DEVICE_AVAILABLE) != 0,
                d);
    }

    static String typeName(long type) {
        List<String> names = new ArrayList<>();
        if ((type & ClConstants.CL_DEVICE_TYPE_GPU) != 0) {
            names.add("GPU");
        }
        if ((type & ClConstants.CL_DEVICE_TYPE_CPU) != 0) {
            names.add("CPU");
        }
        if ((type & ClConstants.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            names.add("ACCELERATOR");
        }
        return names.isEmpty() ? "OTHER(" + type + ")" : String.join("+", names);
    }
}
