package org.rankfold.tools.commands;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.rankfold.kernels.opencl.DeviceInfo;
import org.rankfold.kernels.opencl.OpenClDevices;
import org.rankfold.kernels.opencl.PlatformInfo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.rankfold.tools.options.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `rankfold devices`: OpenCL platforms and devices (name, vendor, type, compute units, clock, global and
 * local memory, work-group limit, versions, fp64), or why there are none. Finding none is not an error
 * (exit 0): Rankfold then runs on the CPU backend.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "OpenCL platforms and devices, or why there are none.",
        footer = {"", "Select a device with --device opencl:N (or -Drankfold.opencl.device=N); the default is "
                + "the first GPU, else device 0.", "", "Examples:", "  ./rankfold devices", "  ./rankfold devices --json"})
public final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws Exception {
        OpenClDevices.Discovery d = OpenClDevices.discover();
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOption.json()) {
            out.println(toJson(d));
        } else {
            printText(d, out);
        }
        out.flush();
        return 0;
    }

    static void printText(OpenClDevices.Discovery d, PrintWriter out) {
        if (d.devices().isEmpty()) {
            out.println("No OpenCL device: " + d.unavailableReason().orElse("none found") + ".");
            out.println("Rankfold runs on the CPU backend.");
            return;
        }
        int chosen = defaultIndex(d);
        for (PlatformInfo p : d.platforms()) {
            out.printf(Locale.ROOT, "Platform %d: %s (%s), %s%n", p.index(), p.name(), p.vendor(), p.version());
            if (p.devices().isEmpty()) {
                out.println("  (no devices)");
            }
            for (DeviceInfo dev : p.devices()) {
                out.printf(Locale.ROOT, "  Device %d%s: %s%n", dev.index(), dev.index() == chosen ? " (default)" : "",
                        dev.name());
                out.printf(Locale.ROOT, "    vendor %s, type %s, %d compute units at %d MHz%s%n", dev.vendor(),
                        dev.type(), dev.computeUnits(), dev.maxClockMHz(), dev.available() ? "" : ", NOT AVAILABLE");
                out.printf(Locale.ROOT, "    global memory %s, local memory %s, largest buffer %s, max work-group %d%n",
                        bytes(dev.globalMemBytes()), bytes(dev.localMemBytes()), bytes(dev.maxAllocBytes()),
                        dev.maxWorkGroupSize());
                out.printf(Locale.ROOT, "    %s, %s, driver %s, fp64 %s%n", dev.version(), dev.openClCVersion(),
                        dev.driverVersion(), dev.fp64() ? "yes" : "no");
            }
        }
    }

    static String toJson(OpenClDevices.Discovery d) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("available", !d.devices().isEmpty());
        if (d.unavailableReason().isPresent()) {
            root.put("reason", d.unavailableReason().get());
        } else {
            root.putNull("reason");
        }
        if (d.devices().isEmpty()) {
            root.putNull("default_device");
        } else {
            root.put("default_device", defaultIndex(d));
        }
        ArrayNode platforms = root.putArray("platforms");
        for (PlatformInfo p : d.platforms()) {
            ObjectNode pj = platforms.addObject();
            pj.put("index", p.index());
            pj.put("name", p.name());
            pj.put("vendor", p.vendor());
            pj.put("version", p.version());
            ArrayNode devices = pj.putArray("devices");
            for (DeviceInfo dev : p.devices()) {
                ObjectNode dj = devices.addObject();
                dj.put("index", dev.index());
                dj.put("name", dev.name());
                dj.put("vendor", dev.vendor());
                dj.put("type", dev.type());
                dj.put("compute_units", dev.computeUnits());
                dj.put("max_clock_mhz", dev.maxClockMHz());
                dj.put("global_memory_bytes", dev.globalMemBytes());
                dj.put("local_memory_bytes", dev.localMemBytes());
                dj.put("max_allocation_bytes", dev.maxAllocBytes());
                dj.put("max_work_group_size", dev.maxWorkGroupSize());
                dj.put("version", dev.version());
                dj.put("opencl_c_version", dev.openClCVersion());
                dj.put("driver_version", dev.driverVersion());
                dj.put("fp64", dev.fp64());
                dj.put("available", dev.available());
            }
        }
        return mapper.writeValueAsString(root);
    }

    /** The device a plain {@code --device opencl} would use; -1 when the property names none that exists. */
    private static int defaultIndex(OpenClDevices.Discovery d) {
        try {
            return OpenClDevices.select(d, -1).index();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
    }
}
