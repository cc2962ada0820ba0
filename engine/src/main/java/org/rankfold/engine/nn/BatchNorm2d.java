package org.rankfold.engine.nn;

import org.rankfold.engine.ops.BatchNormOp;
import org.rankfold.engine.tensor.Tensor;

/**
 * PyTorch's {@code nn.BatchNorm2d(C, eps=1e-5, momentum=0.1)}: parameters "weight" (gamma, ones) and
 * "bias" (beta, zeros), buffers "running_mean" (zeros) and "running_var" (ones). Training mode normalizes
 * with batch statistics and updates the running ones (unbiased variance); evaluation mode uses the
 * running statistics. See {@link BatchNormOp} for the formulas.
 */
public final class BatchNorm2d extends Module {
    private final Tensor gamma;
    private final Tensor beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final double momentum;
    private final double eps;

    public BatchNorm2d(int channels) {
        this(channels, 0.1, 1e-5);
    }

    public BatchNorm2d(int channels, double momentum, double eps) {
        if (channels < 1 || !(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm2d: channels >= 1, momentum in [0, 1], eps > 0 required, got "
                    + channels + ", " + momentum + ", " + eps);
        }
        this.gamma = registerParameter("weight", Tensor.ones(channels));
        this.beta = registerParameter("bias", Tensor.zeros(channels));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
        this.runningVar = registerBuffer("running_var", Tensor.ones(channels));
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    protected Tensor compute(Tensor x) {
        if (isTraining()) {
            return BatchNormOp.train(x, gamma, beta, runningMean, runningVar, momentum, eps);
        }
        return BatchNormOp.eval(x, gamma, beta, runningMean, runningVar, eps);
    }

    /**
     * {@code forward(x).relu()}, in training mode as one fused op ({@link BatchNormOp#trainRelu}: one pass over
     * the activations each way instead of two, equal bit for bit; in evaluation mode {@link BatchNormOp#evalRelu}).
     * Unfused when an observer watches this layer, since it must see the output before the ReLU.
     */
    public Tensor forwardRelu(Tensor x) {
        if (observer() != null) {
            return forward(x).relu();
        }
        if (isTraining()) {
            return BatchNormOp.trainRelu(x, gamma, beta, runningMean, runningVar, momentum, eps);
        }
        return BatchNormOp.evalRelu(x, gamma, beta, runningMean, runningVar, eps);
    }

    public Tensor gamma() {
        return gamma;
    }

    public Tensor beta() {
        return beta;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public int channels() {
        return gamma.size();
    }

    /** Weight of the batch statistic in the running-statistics update (PyTorch's momentum). */
    public double momentum() {
        return momentum;
    }

    public double eps() {
        return eps;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + gamma.size() + ", momentum=" + momentum + ", eps=" + eps + ")";
    }
}
