package org.rankfold.vbmf.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ExtraLoss;

/**
 * The orthogonal regularization term of the training loss (Bansal et al. 2018; docs/method.md):
 * {@code lambda(epoch) * sum_w R(w)} over the 1x1 factors A and B of every {@link FactorizedConv2d} (they
 * play the role of Tucker factor matrices) and, with {@code plain}, over every other conv and linear weight.
 * {@code lambda(epoch) = lambda * decay^epoch} (decay 1: constant).
 */
public final class OrthoLoss implements ExtraLoss {
    private final OrthogonalRegularizer regularizer;
    private final double lambda;
    private final double decay;
    private final boolean plain;

    public OrthoLoss(OrthogonalRegularizer regularizer, double lambda, double decay, boolean plain) {
        if (!(lambda >= 0) || !(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("ortho lambda must be >= 0 and decay in (0, 1], got " + lambda + ", " + decay);
        }
        this.regularizer = regularizer;
        this.lambda = lambda;
        this.decay = decay;
        this.plain = plain;
    }

    /**
     * The weights regularized in {@code model}: factors A, B of factorized convs; plain weights when asked
     * ({@link OrthogonalRegularizer#targets}).
     */
    public static List<Tensor> targets(Module model, boolean plain) {
        return new ArrayList<>(OrthogonalRegularizer.targets(model, plain).values());
    }

    @Override
    public Tensor term(Module model, int epoch, long step) {
        double l = lambda * Math.pow(decay, epoch);
        List<Tensor> weights = targets(model, plain);
        if (l == 0 || weights.isEmpty()) {
            return null;
        }
        return regularizer.total(weights, l);
    }
}
