package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.ops.MatMul;
import org.rankfold.engine.tensor.Tensor;

/**
 * Fully connected layer, PyTorch's {@code nn.Linear}: x (N, in) -> y = x W^T + b (N, out), weight (out,
 * in) named "weight", bias (out) named "bias". The product is a GEMM with B transposed (no copy of W^T).
 * PyTorch default initialization.
 */
public final class Linear extends Module implements Costed {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out, boolean bias, SplittableRandom rng) {
        this(checkedWeight(in, out, rng), bias ? Init.pytorchDefaultBias(rng, in, out) : null);
    }

    private static Tensor checkedWeight(int in, int out, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear sizes must be >= 1, got " + in + " -> " + out);
        }
        return Init.pytorchDefault(rng, out, in);
    }

    /** A linear layer with the given weight (out, in) and bias (out) or null (used as is, not copied). */
    public static Linear of(Tensor weight, Tensor bias) {
        return new Linear(weight, bias);
    }

    private Linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2) {
            throw new IllegalArgumentException("linear weight must be (out, in), got " + java.util.Arrays.toString(weight.shape()));
        }
        if (bias != null && bias.size() != weight.dim(0)) {
            throw new IllegalArgumentException("linear bias must have " + weight.dim(0) + " elements, got " + bias.size());
        }
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("Linear(" + weight.dim(1) + ", " + weight.dim(0) + ") needs input (N, "
                    + weight.dim(1) + "), got " + java.util.Arrays.toString(x.shape()));
        }
        Tensor y = MatMul.matmul(x, false, weight, true);
        return bias == null ? y : y.add(bias);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public long weightParameters() {
        return (long) weight.size() + (bias == null ? 0 : bias.size());
    }

    /** in * out. */
    @Override
    public long macs(int[] inputShape) {
        return (long) weight.dim(0) * weight.dim(1);
    }

    @Override
    public String toString() {
        return "Linear(" + weight.dim(1) + ", " + weight.dim(0) + ", bias=" + (bias != null) + ")";
    }
}
