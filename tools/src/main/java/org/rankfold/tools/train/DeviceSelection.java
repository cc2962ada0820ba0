package org.rankfold.tools.train;

import java.util.Locale;
import java.util.OptionalInt;

import org.rankfold.engine.device.OpenClComputeDevice;
import org.rankfold.engine.train.ComputeDevice;
import org.rankfold.engine.train.ComputeDevices;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;
import org.rankfold.tools.UserError;

/**
 * The compute device {@code --device} selects for one command: with {@code --device opencl[:N]} an OpenCL device (index N of
 * {@code rankfold devices}; without N the default one) installed as the engine's {@link ComputeDevice},
 * so training and evaluation keep the model resident there while host work (data, decomposition,
 * checkpoints) stays on the CPU backend; with {@code --device cpu} nothing. The previous device is
 * restored and the OpenCL runtime closed on close.
 */
public final class DeviceSelection implements AutoCloseable {
    private final OpenClRuntime runtime;
    private final ComputeDevice previous;
    private final ComputeDevice device;

    private DeviceSelection(OpenClRuntime runtime, ComputeDevice previous, ComputeDevice device) {
        this.runtime = runtime;
        this.previous = previous;
        this.device = device;
    }

    /**
     * Validates {@code --device} (cpu, opencl or opencl:N) and installs the device. An unknown device or a
     * machine without OpenCL is a {@link UserError} (exit code 2) that says why.
     */
    public static DeviceSelection open(String device) {
        OptionalInt index = openClDevice(device);
        OpenClRuntime runtime = null;
        if (index.isPresent()) {
            try {
                runtime = OpenClRuntime.open(index.getAsInt());
            } catch (OpenClUnavailableException e) {
                throw new UserError("--device " + device + ": no OpenCL device: " + e.getMessage()
                        + " ('rankfold devices' says more; use --device cpu)");
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UserError("--device " + device + ": " + e.getMessage());
            }
        }
        ComputeDevice computeDevice = runtime == null ? null : new OpenClComputeDevice(runtime);
        ComputeDevice previous = ComputeDevices.install(computeDevice);
        return new DeviceSelection(runtime, previous, computeDevice);
    }

    /**
     * The OpenCL device a {@code --device} value names: empty for "cpu", -1 (the default device) for
     * "opencl", N for "opencl:N"; anything else is a UserError listing the accepted forms.
     */
    public static OptionalInt openClDevice(String device) {
        String d = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return OptionalInt.empty();
        }
        if (d.equals("opencl")) {
            return OptionalInt.of(-1);
        }
        if (d.startsWith("opencl:")) {
            try {
                int n = Integer.parseInt(d.substring("opencl:".length()));
                if (n >= 0) {
                    return OptionalInt.of(n);
                }
            } catch (NumberFormatException e) {
                // reported below with the accepted forms
            }
        }
        throw new UserError("--device must be cpu, opencl or opencl:N (N from 'rankfold devices'), got '" + device + "'");
    }

    /** True when training and evaluation run on an OpenCL device. */
    public boolean onDevice() {
        return device != null;
    }

    /** The device's description, or null when there is none. */
    public String describe() {
        return device == null ? null : device.describe();
    }

    @Override
    public void close() {
        try {
            ComputeDevices.install(previous);
        } finally {
            if (runtime != null) {
                runtime.close();
            }
        }
    }
}
