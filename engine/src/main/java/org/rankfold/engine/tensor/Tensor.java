package org.rankfold.engine.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.rankfold.engine.ops.CrossEntropy;
import org.rankfold.engine.ops.ElementwiseOps;
import org.rankfold.engine.ops.MatMul;
import org.rankfold.engine.ops.Reductions;
import org.rankfold.engine.ops.Views;

/**
 * A float32 tensor: contiguous, row-major data in a {@code float[]} with an {@code int[]} shape, plus the
 * autograd state (whether it requires a gradient, its gradient buffer, and the node of the op that made
 * it).
 *
 * <p>Autograd is define-by-run (micrograd's design): each op computes its output and, when gradients are
 * enabled ({@link GradMode}) and some input requires one, attaches a {@link Backward} closure that
 * <em>accumulates</em> into the inputs' gradients. {@link #backward()} on a one-element tensor walks the
 * graph in reverse topological order. Gradients of leaves (tensors made by the user with
 * {@link #requiresGrad(boolean)}) are kept and accumulate over calls until {@link #zeroGrad()};
 * gradients of intermediates are freed as soon as they have been propagated (unless
 * {@link #retainGrad()}), and the graph is released.
 *
 * <p>Views ({@link #reshape}, {@link #view}, {@link #detach}) share the data array; no op copies its
 * inputs. Not thread-safe: one graph is built and replayed on one thread.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;
    private boolean requiresGrad;
    private boolean retainGrad;
    private float[] grad;
    private Node node;
    private List<Consumer<float[]>> gradHooks;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ---- factories -------------------------------------------------------------------------------

    /** Wraps {@code data} (no copy; the tensor and the caller share it) with the given shape. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shapes.infer(data.length, shape);
        return new Tensor(data, s);
    }

    /** A tensor holding a copy of {@code values} with the given shape. */
    public static Tensor fromArray(float[] values, int... shape) {
        return wrap(values.clone(), shape);
    }

    /** A tensor holding {@code values} rounded to float32. */
    public static Tensor fromArray(double[] values, int... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return wrap(f, shape);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.size(shape)], shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** A one-element tensor of shape [] (a scalar). */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /**
     * Standard normal values from {@code rng} (Box-Muller on {@link SplittableRandom#nextDouble()}, so the
     * values depend only on the generator's seed, not on the JDK's Gaussian algorithm).
     */
    public static Tensor randn(SplittableRandom rng, int... shape) {
        Tensor t = zeros(shape);
        fillNormal(rng, t.data, 0, 1);
        return t;
    }

    /** Uniform values in [low, high) from {@code rng}. */
    public static Tensor uniform(SplittableRandom rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return t;
    }

    /** Fills {@code out} with N(mean, std^2) values by the Box-Muller transform (pairs of uniforms). */
    public static void fillNormal(SplittableRandom rng, float[] out, double mean, double std) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1.0 - rng.nextDouble(); // in (0, 1]: log is finite
            double u2 = rng.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = (float) (mean + std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < out.length) {
                out[i + 1] = (float) (mean + std * r * Math.sin(2 * Math.PI * u2));
            }
        }
    }

    /**
     * The output of an op: wraps {@code data} with {@code shape} and, if gradients are enabled and any
     * input requires one, records {@code backward} so that {@link #backward()} can reach the inputs.
     * For op implementations.
     */
    public static Tensor derived(float[] data, int[] shape, String op, Backward backward, Tensor... inputs) {
        Tensor out = new Tensor(data, Shapes.infer(data.length, shape));
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs, backward);
                    break;
                }
            }
        }
        return out;
    }

    // ---- accessors -------------------------------------------------------------------------------

    /** The backing array (shared, not a copy): writing it changes this tensor and its views. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, shape is " + Arrays.toString(shape));
        }
        return data[0];
    }

    // ---- autograd state --------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as requiring (or not) a gradient; returns this. Only leaves may be changed. */
    public Tensor requiresGrad(boolean value) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be set on a leaf tensor (this one is the output of "
                    + node.op() + ")");
        }
        this.requiresGrad = value;
        return this;
    }

    /** True when no op made this tensor (it has no recorded node). */
    public boolean isLeaf() {
        return node == null;
    }

    /** Keep this intermediate's gradient after backward (for inspection and tests); returns this. */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    /** The accumulated gradient (same layout as the data), or null when none has been computed. */
    public float[] grad() {
        return grad;
    }

    /** The gradient as a tensor sharing the gradient buffer, or null. */
    public Tensor gradTensor() {
        return grad == null ? null : new Tensor(grad, shape);
    }

    /** The gradient buffer, allocated as zeros on first use: backward functions add into it. */
    public float[] gradForAccumulation() {
        if (grad == null) {
            // parameters allocate once and keep theirs; intermediates reuse buffers freed by earlier backwards
            grad = node != null ? GradPool.take(data.length) : new float[data.length];
        }
        return grad;
    }

    /** Whether a gradient buffer exists (something was accumulated into it, or it is a kept parameter's). */
    public boolean hasGrad() {
        return grad != null;
    }

    /**
     * For a backward function that is this tensor's first gradient contribution ({@link #hasGrad()} false) and
     * writes every element: a buffer whose contents are undefined, which becomes the gradient. It saves zeroing
     * an activation-sized buffer only to add into it; the writer must store exactly what adding into zeros
     * would give (0 + v, so no -0), which keeps the results bit for bit those of accumulation.
     */
    public float[] gradForOverwrite() {
        if (grad != null) {
            throw new IllegalStateException("the gradient already holds a contribution: add into gradForAccumulation()");
        }
        grad = node != null ? GradPool.takeUnzeroed(data.length) : new float[data.length];
        return grad;
    }

    /** Sets every element of the gradient buffer (if any) to zero; the buffer is kept for reuse. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    /** Drops the gradient buffer. */
    public void clearGrad() {
        grad = null;
    }

    /** After propagation: hands an intermediate's gradient buffer back for reuse. */
    void recycleGrad() {
        if (grad != null) {
            GradPool.give(grad);
            grad = null;
        }
    }

    /**
     * Registers a hook called during backward with this tensor's complete gradient, before it is
     * propagated further (used by the non-finite guard to name the layer whose gradient went bad).
     */
    public Tensor onGrad(Consumer<float[]> hook) {
        if (gradHooks == null) {
            gradHooks = new ArrayList<>(1);
        }
        gradHooks.add(hook);
        return this;
    }

    /** A tensor sharing this one's data with no gradient and no graph. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** A deep copy of the data (no gradient, no graph). */
    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Backpropagates from this one-element tensor (d this / d this = 1). */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward() needs a one-element tensor (a loss), shape is "
                    + Arrays.toString(shape) + "; use backward(dout) otherwise");
        }
        backward(new float[] {1f});
    }

    /** Backpropagates {@code dout} (same layout as this tensor) through the graph that made it. */
    public void backward(float[] dout) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require grad (no input required "
                    + "grad, or it was computed under GradMode.noGrad())");
        }
        if (dout.length != data.length) {
            throw new IllegalArgumentException("dout has " + dout.length + " elements, tensor has " + data.length);
        }
        Autograd.run(this, dout);
    }

    // package-private access for Autograd
    Node node() {
        return node;
    }

    void releaseNode() {
        node = null;
    }

    boolean retainsGrad() {
        return retainGrad;
    }

    void runGradHooks() {
        if (gradHooks != null && grad != null) {
            for (Consumer<float[]> hook : gradHooks) {
                hook.accept(grad);
            }
        }
    }

    // ---- ops (each delegates to its op family in org.rankfold.engine.ops) ------------------------

    /** Elementwise sum; {@code other} may be a trailing vector broadcast over the leading dimensions. */
    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, other);
    }

    /** Elementwise difference; {@code other} may be a trailing vector broadcast over the leading dimensions. */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, other);
    }

    /** Elementwise product; {@code other} may be a trailing vector broadcast over the leading dimensions. */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, other);
    }

    /** {@code s * this}. */
    public Tensor scale(float s) {
        return ElementwiseOps.scale(this, s);
    }

    public Tensor relu() {
        return ElementwiseOps.relu(this);
    }

    /** 2-D matrix product {@code this (M x K) * other (K x N)}. */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, false, other, false);
    }

    /** Sum of all elements, shape []. */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /** Mean of all elements, shape []. */
    public Tensor mean() {
        return Reductions.mean(this);
    }

    /** Same data, new shape (one entry may be -1); differentiable, no copy. */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** Alias of {@link #reshape}: tensors are always contiguous, so every reshape is a view. */
    public Tensor view(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** Transpose of a 2-D tensor (copies: tensors are contiguous). */
    public Tensor transpose() {
        return Views.transpose(this);
    }

    /** Row-wise log-softmax of a 2-D tensor (N, K). */
    public Tensor logSoftmax() {
        return CrossEntropy.logSoftmax(this);
    }

    /** Mean cross-entropy of logits (N, K) against class indices in [0, K). */
    public Tensor crossEntropy(int[] labels) {
        return CrossEntropy.crossEntropy(this, labels);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ');
        int shown = Math.min(6, data.length);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%.4g", data[i]));
        }
        if (data.length > shown) {
            sb.append(", ... (").append(data.length).append(" values)");
        }
        sb.append(']');
        if (node != null) {
            sb.append(" grad_fn=").append(node.op());
        } else if (requiresGrad) {
            sb.append(" requires_grad");
        }
        return sb.toString();
    }
}
