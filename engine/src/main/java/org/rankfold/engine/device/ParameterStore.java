package org.rankfold.engine.device;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.opencl.BufferAllocator;

/**
 * The device copies of a model's parameters (with gradients in a training session) and buffers (BatchNorm
 * running statistics), uploaded once when the session opens, found by host tensor identity when layers
 * are compiled, and downloaded into the host tensors at sync points.
 */
final class ParameterStore implements AutoCloseable {
    private final Map<Tensor, DeviceParameter> byTensor = new IdentityHashMap<>();
    private final List<DeviceParameter> parameters = new ArrayList<>();
    private final List<DeviceParameter> buffers = new ArrayList<>();

    ParameterStore(BufferAllocator allocator, Module model, boolean training) {
        try {
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                DeviceParameter p = new DeviceParameter(allocator, e.getKey(), e.getValue(), training);
                byTensor.put(e.getValue(), p);
                parameters.add(p);
            }
            for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
                DeviceParameter p = new DeviceParameter(allocator, e.getKey(), e.getValue(), false);
                byTensor.put(e.getValue(), p);
                buffers.add(p);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The device copy of {@code host}, a parameter or buffer of the model. */
    DeviceParameter of(Tensor host) {
        DeviceParameter p = byTensor.get(host);
        if (p == null) {
            throw new IllegalArgumentException("tensor " + host + " is not a parameter or buffer of the compiled model");
        }
        return p;
    }

    /** Trainable parameters in {@link Module#namedParameters()} order. */
    List<DeviceParameter> parameters() {
        return parameters;
    }

    /** Writes every parameter and buffer back into its host tensor. */
    void downloadAll() {
        parameters.forEach(DeviceParameter::download);
        buffers.forEach(DeviceParameter::download);
    }

    /** Writes the trainable parameters only (what a host-side extra loss reads). */
    void downloadParameters() {
        parameters.forEach(DeviceParameter::download);
    }

    @Override
    public void close() {
        parameters.forEach(DeviceParameter::close);
        buffers.forEach(DeviceParameter::close);
    }
}
