package org.rankfold.tools.train;

import java.util.Locale;
import java.util.OptionalInt;

import org.rankfold.engine.device.OpenClComputeDevice;
import org.rankfold.engine.train.ComputeDevice;
import org.rankfold.engine.train.ComputeDevices;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;
import org.rankfold.tools.UserError;

/**
 * The compute backend of one command: a {@link CpuBackend} with the requested thread count installed as
 * the process-wide backend, and with {@code --device opencl[:N]} an OpenCL device (index N of
 * {@code rankfold devices}; without N the default one) installed as the engine's {@link ComputeDevice}, so
 * training and evaluation keep the model resident there while host work (data, decomposition,
 * checkpoints) stays on the CPU backend. Both are restored on close (so commands run in one JVM, as in
 * tests, do not leak thread pools, devices or settings).
 */
public final class CpuSession implements AutoCloseable {
    private final Backend previous;
    private final CpuBackend backend;
    private final OpenClRuntime runtime;
    private final ComputeDevice previousDevice;
    private final ComputeDevice device;

    private CpuSession(Backend previous, CpuBackend backend, OpenClRuntime runtime, ComputeDevice previousDevice,
                       ComputeDevice device) {
        this.previous = previous;
        this.backend = backend;
        this.runtime = runtime;
        this.previousDevice = previousDevice;
        this.device = device;
    }

    /**
     * Validates {@code --device} (cpu, opencl or opencl:N) and {@code --threads} (0 = the configured
     * default) and installs the backend and device. An unknown device or a machine without OpenCL is a
     * {@link UserError} (exit code 2) that says why.
     */
    public static CpuSession open(String device, int threads) {
        OptionalInt index = openClDevice(device);
        if (threads < 0 || threads > 1024) {
            throw new UserError("--threads must be between 1 and 1024 (0 for the default), got " + threads);
        }
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
        Backend previous = Backends.current();
        CpuBackend backend = new CpuBackend(threads == 0 ? CpuBackend.configuredThreads() : threads);
        Backends.setCurrent(backend);
        ComputeDevice computeDevice = runtime == null ? null : new OpenClComputeDevice(runtime);
        ComputeDevice previousDevice = ComputeDevices.install(computeDevice);
        return new CpuSession(previous, backend, runtime, previousDevice, computeDevice);
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

    public int threads() {
        return backend.threads();
    }

    /** True when training and evaluation run on an OpenCL device. */
    public boolean onDevice() {
        return device != null;
    }

    public String describe() {
        return device == null ? backend.toString() : device.describe() + " (host: " + backend + ")";
    }

    @Override
    public void close() {
        try {
            ComputeDevices.install(previousDevice);
            Backends.setCurrent(previous);
            backend.close();
        } finally {
            if (runtime != null) {
                runtime.close();
            }
        }
    }
}
