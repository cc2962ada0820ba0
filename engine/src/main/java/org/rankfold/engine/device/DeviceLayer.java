package org.rankfold.engine.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * One compiled layer: per-image input and output shapes ((C, H, W) or (F)), a forward pass over the first
 * n images of its input buffer (row-major (n, shape...)) into its own output buffer, and a backward pass
 * from the output gradient into its own input-gradient buffer, overwriting its parameters' gradients.
 * The input buffer given to forward must stay unchanged until backward (layers never write their input).
 * Buffers are sized for {@code capacity} images at construction.
 */
abstract class DeviceLayer implements AutoCloseable {
    protected final OpenClRuntime rt;
    protected final String name;
    protected final int[] inShape;
    protected final int[] outShape;
    protected final int capacity;
    private final List<DeviceBuffer> owned = new ArrayList<>();

    protected DeviceLayer(OpenClRuntime rt, String name, int[] inShape, int[] outShape, int capacity) {
        this.rt = rt;
        this.name = name;
        this.inShape = inShape.clone();
        this.outShape = outShape.clone();
        this.capacity = capacity;
    }

    /** Output of the first n images (n <= capacity); valid until this layer's next forward. */
    abstract DeviceBuffer forward(DeviceBuffer x, int n, boolean training);

    /**
     * Backward of the last training forward: writes the parameters' gradients and returns the input
     * gradient (this layer's buffer), or null when {@code needInputGrad} is false (the model's first layer).
     */
    abstract DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad);

    final int[] outShape() {
        return outShape.clone();
    }

    final long inSize() {
        return size(inShape);
    }

    final long outSize() {
        return size(outShape);
    }

    static long size(int[] shape) {
        long s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    /** A buffer of this layer's, released with it. */
    protected final DeviceBuffer allocate(long elements) {
        DeviceBuffer b = rt.buffers().allocate(elements);
        owned.add(b);
        return b;
    }

    /** Throws unless the shape has {@code rank} dimensions (the layer's input contract). */
    static int[] requireRank(String name, String type, int[] shape, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("layer '" + name + "' (" + type + ") needs " + (rank == 3 ? "(C, H, W)"
                    : "flat (F)") + " inputs per image, got " + Arrays.toString(shape)
                    + (rank == 1 ? " (add a Flatten before it)" : ""));
        }
        return shape;
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
        owned.clear();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " '" + name + "' " + Arrays.toString(inShape) + " -> " + Arrays.toString(outShape);
    }
}
