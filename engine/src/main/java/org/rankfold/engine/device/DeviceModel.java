package org.rankfold.engine.device;

import java.util.Arrays;

import org.rankfold.engine.nn.Module;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * A compiled model for one per-image input shape: its layers (with activation buffers for up to
 * {@link #capacity()} images), the shared scratch buffers and the input buffer. The parameters belong to
 * the {@link ParameterStore} it was compiled against, which outlives recompilations for larger batches.
 */
final class DeviceModel implements AutoCloseable {
    private final int[] inputShape;
    private final int capacity;
    private final Scratch scratch;
    private final DeviceLayer root;
    private final DeviceBuffer input;

    DeviceModel(OpenClRuntime rt, ParameterStore store, Module model, int[] inputShape, int capacity) {
        this(rt, store, model, inputShape, capacity, ConvLayer.COLUMN_LIMIT);
    }

    /** With another bound on the convolutions' chunks (tests force several chunks per batch). */
    DeviceModel(OpenClRuntime rt, ParameterStore store, Module model, int[] inputShape, int capacity, long columnLimit) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1 image, got " + capacity);
        }
        this.inputShape = inputShape.clone();
        this.capacity = capacity;
        this.scratch = new Scratch(rt.buffers());
        DeviceLayer compiled = null;
        try {
            compiled = new ModelCompiler(rt, scratch, store, capacity, columnLimit).compile("", model, inputShape);
            if (compiled.outShape().length != 1) {
                throw new IllegalArgumentException("the model's output per image is " + Arrays.toString(compiled.outShape())
                        + ", expected logits (classes)");
            }
            this.root = compiled;
            this.input = rt.buffers().allocate(capacity * DeviceLayer.size(inputShape));
        } catch (RuntimeException e) {
            if (compiled != null) {
                compiled.close();
            }
            scratch.close();
            throw e;
        }
    }

    int capacity() {
        return capacity;
    }

    boolean accepts(int[] shape, int n) {
        return Arrays.equals(shape, inputShape) && n <= capacity;
    }

    /** Classes per image (the logits' width). */
    int classes() {
        return root.outShape()[0];
    }

    /** Uploads {@code n} images (n, shape...) and runs forward; returns the logits (n, classes). */
    DeviceBuffer forward(float[] images, int n, boolean training) {
        int len = Math.toIntExact(n * DeviceLayer.size(inputShape));
        if (images.length < len) {
            throw new IllegalArgumentException("batch of " + n + " images needs " + len + " floats, got " + images.length);
        }
        input.write(0, images, 0, len);
        return root.forward(input, n, training);
    }

    /**
     * Backward of the last training forward from dlogits (n, classes); writes every parameter gradient and
     * returns the input gradient when asked (tests), else null.
     */
    DeviceBuffer backward(DeviceBuffer dlogits, int n, boolean inputGrad) {
        return root.backward(dlogits, n, inputGrad);
    }

    @Override
    public void close() {
        root.close();
        input.close();
        scratch.close();
    }
}
