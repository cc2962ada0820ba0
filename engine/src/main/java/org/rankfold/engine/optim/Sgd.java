package org.rankfold.engine.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.tensor.Tensor;

/**
 * Stochastic gradient descent exactly as {@code torch.optim.SGD} (float32 arithmetic, same order):
 * <pre>
 *   d = g + weight_decay * p
 *   if momentum != 0:
 *       buf = d                                   (first step)
 *       buf = momentum * buf + (1 - dampening) * d (later steps)
 *       d = nesterov ? d + momentum * buf : buf
 *   p = p - lr * d
 * </pre>
 * Nesterov needs momentum > 0 and dampening = 0 (PyTorch's rule). The momentum buffers are allocated on
 * a parameter's first step and reused.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;
    private final Map<Tensor, float[]> buffers = new IdentityHashMap<>();

    public Sgd(List<Tensor> parameters, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(parameters, lr);
        if (!(momentum >= 0) || !(weightDecay >= 0) || !(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("SGD: momentum >= 0, weight decay >= 0, dampening in [0, 1] required, got "
                    + momentum + ", " + weightDecay + ", " + dampening);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening");
        }
        this.momentum = (float) momentum;
        this.dampening = (float) dampening;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
    }

    /** Plain SGD with momentum, no dampening, no Nesterov. */
    public static Sgd momentum(List<Tensor> parameters, double lr, double momentum, double weightDecay) {
        return new Sgd(parameters, lr, momentum, 0, weightDecay, false);
    }

    @Override
    public void step() {
        float lr = (float) learningRate();
        for (Tensor p : parameters) {
            float[] g = p.grad();
            if (g == null) {
                continue;
            }
            float[] w = p.data();
            float[] buf = momentum != 0 ? buffers.get(p) : null;
            boolean first = momentum != 0 && buf == null;
            if (first) {
                buf = new float[w.length];
                buffers.put(p, buf);
            }
            for (int i = 0; i < w.length; i++) {
                float d = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
                if (momentum != 0) {
                    buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * buf[i] : buf[i];
                }
                w[i] -= lr * d;
            }
        }
    }

    /** The momentum factor (0: plain SGD). */
    public double momentum() {
        return momentum;
    }

    public double dampening() {
        return dampening;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public boolean nesterov() {
        return nesterov;
    }

    /** Replaces the momentum buffer of {@code p} by a copy of {@code values} (checkpoint resume). */
    public void setMomentumBuffer(Tensor p, float[] values) {
        if (!parameters.contains(p) || values.length != p.size()) {
            throw new IllegalArgumentException("momentum buffer of " + values.length + " values for a parameter of "
                    + p.size() + " that this optimizer " + (parameters.contains(p) ? "owns" : "does not own"));
        }
        buffers.put(p, values.clone());
    }

    /** The momentum buffer of {@code p} (live, not a copy), or null before its first step. */
    public float[] momentumBuffer(Tensor p) {
        return buffers.get(p);
    }
}
