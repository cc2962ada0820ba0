package org.rankfold.engine.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.tensor.Tensor;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's {@code torch.optim.Adam} semantics (amsgrad off, L2 weight
 * decay added to the gradient):
 * <pre>
 *   g = g + weight_decay * p
 *   m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g^2
 *   (m as PyTorch's lerp: m + (1 - beta1) (g - m), so float results match its rounding)
 *   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * with t the step count (from 1). State is allocated on a parameter's first step.
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<Tensor, float[][]> state = new IdentityHashMap<>();
    private int steps;

    public Adam(List<Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(parameters, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: betas in [0, 1), eps >= 0, weight decay >= 0 required");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Adam withDefaults(List<Tensor> parameters, double lr) {
        return new Adam(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    @Override
    public void step() {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate() / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float wd = (float) weightDecay;
        float e = (float) eps;
        float oneMinusB1 = 1 - b1;
        boolean lerpWeightBelowHalf = oneMinusB1 < 0.5f;
        for (Tensor p : parameters) {
            float[] g = p.grad();
            if (g == null) {
                continue;
            }
            float[] w = p.data();
            float[][] mv = state.computeIfAbsent(p, k -> new float[][] {new float[w.length], new float[w.length]});
            float[] m = mv[0];
            float[] v = mv[1];
            for (int i = 0; i < w.length; i++) {
                float gi = wd != 0 ? g[i] + wd * w[i] : g[i];
                // PyTorch: exp_avg.lerp_(grad, 1 - beta1), i.e. m + (1 - beta1) (g - m) for weights below 0.5
                m[i] = lerpWeightBelowHalf ? m[i] + oneMinusB1 * (gi - m[i]) : gi - (gi - m[i]) * (1 - oneMinusB1);
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + e;
                w[i] -= stepSize * m[i] / denom;
            }
        }
    }

    /** The first and second moment estimates {m, v} of {@code p} (live, not copies), or null before its first step. */
    public float[][] moments(Tensor p) {
        return state.get(p);
    }

    /** Replaces the moments of {@code p} by copies (checkpoint resume). */
    public void setMoments(Tensor p, float[] m, float[] v) {
        if (!parameters.contains(p) || m.length != p.size() || v.length != p.size()) {
            throw new IllegalArgumentException("Adam moments of " + m.length + "/" + v.length + " values for a parameter of "
                    + p.size() + " that this optimizer " + (parameters.contains(p) ? "owns" : "does not own"));
        }
        state.put(p, new float[][] {m.clone(), v.clone()});
    }

    /** Sets the step count t used by the bias corrections (checkpoint resume). */
    public void setSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        this.steps = steps;
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }
}
