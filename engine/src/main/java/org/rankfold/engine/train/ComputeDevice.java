package org.rankfold.engine.train;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Optimizer;

/**
 * Somewhere other than the engine's own autograd that runs training steps and evaluation of a model, e.g.
 * an OpenCL device that keeps the model resident ({@code org.rankfold.engine.device}). Installed
 * process-wide with {@link ComputeDevices#install}; {@link Trainer} and {@link Evaluator} then run their
 * batches through a {@link DeviceSession} and the host {@link Module} is brought up to date at sync points.
 */
public interface ComputeDevice {

    /**
     * Compiles {@code model} for the device and uploads its parameters, buffers and (when the optimizer has
     * any) momentum state. {@code optimizer} is null for an evaluation-only session.
     *
     * @throws IllegalArgumentException naming the layer or optimizer the device does not support
     */
    DeviceSession open(Module model, Optimizer optimizer);

    /** One line for logs: which device. */
    String describe();
}
