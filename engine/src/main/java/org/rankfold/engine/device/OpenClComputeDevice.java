package org.rankfold.engine.device;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Optimizer;
import org.rankfold.engine.train.ComputeDevice;
import org.rankfold.engine.train.DeviceSession;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * An OpenCL device as the engine's {@link ComputeDevice}: each session keeps one model resident on the
 * runtime's device (see {@link OpenClSession}). The runtime is the caller's to close, after the sessions.
 */
public final class OpenClComputeDevice implements ComputeDevice {
    private final OpenClRuntime runtime;

    public OpenClComputeDevice(OpenClRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public DeviceSession open(Module model, Optimizer optimizer) {
        return new OpenClSession(runtime, model, optimizer);
    }

    public OpenClRuntime runtime() {
        return runtime;
    }

    @Override
    public String describe() {
        return "OpenCL " + runtime.device().summary() + " [" + runtime.device().platformName() + "]";
    }
}
