package org.rankfold.engine.device;

import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.opencl.BufferAllocator;
import org.rankfold.kernels.opencl.DeviceBuffer;

/**
 * A host tensor's device copy: the value, and for a trainable parameter of a training session its gradient
 * and SGD momentum buffer. {@link #momentumStarted} says whether the momentum buffer holds state (PyTorch's
 * first step sets it to the update instead of blending).
 */
final class DeviceParameter implements AutoCloseable {
    private final String name;
    private final Tensor host;
    private final DeviceBuffer value;
    private final DeviceBuffer grad;
    private DeviceBuffer momentum;
    private boolean momentumStarted;
    private final BufferAllocator allocator;

    DeviceParameter(BufferAllocator allocator, String name, Tensor host, boolean withGrad) {
        this.allocator = allocator;
        this.name = name;
        this.host = host;
        this.value = allocator.upload(host.data(), 0, host.size());
        this.grad = withGrad ? allocator.allocate(host.size()) : null;
    }

    String name() {
        return name;
    }

    Tensor host() {
        return host;
    }

    int size() {
        return host.size();
    }

    DeviceBuffer value() {
        return value;
    }

    /** The gradient buffer; only in training sessions. */
    DeviceBuffer grad() {
        if (grad == null) {
            throw new IllegalStateException(name + " has no gradient buffer (evaluation session or a buffer, not a parameter)");
        }
        return grad;
    }

    /** The momentum buffer, allocated on first use. */
    DeviceBuffer momentum() {
        if (momentum == null) {
            momentum = allocator.allocate(host.size());
        }
        return momentum;
    }

    boolean momentumStarted() {
        return momentumStarted;
    }

    void markMomentumStarted() {
        momentumStarted = true;
    }

    /** Uploads a saved momentum buffer (resume) and marks it started. */
    void uploadMomentum(float[] values) {
        momentum().write(0, values, 0, values.length);
        momentumStarted = true;
    }

    /** The momentum buffer's content, or null before the first step. */
    float[] downloadMomentum() {
        if (!momentumStarted) {
            return null;
        }
        float[] out = new float[host.size()];
        momentum.read(0, out, 0, out.length);
        return out;
    }

    /** Writes the device value into the host tensor's array. */
    void download() {
        value.read(0, host.data(), 0, host.size());
    }

    @Override
    public void close() {
        value.close();
        if (grad != null) {
            grad.close();
        }
        if (momentum != null) {
            momentum.close();
        }
    }
}
