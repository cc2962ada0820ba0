package org.rankfold.engine.regularize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ExtraLoss;

/**
 * The orthogonal regularization term of the training loss (Bansal et al. 2018; docs/method.md):
 * {@code lambda(epoch) * sum over the target weights of R(M)}, R one of {@link Orthogonality}'s penalties,
 * {@code lambda(epoch) = lambda * decay^epoch} (decay 1: constant). The targets ({@link #targets}) are the 1x1
 * factors A and B of every factorized convolution (they play the role of Tucker factor matrices) and, with
 * plain weights on, the weight of every other convolution and linear layer. The one regularizer of
 * {@code train}, of the compression pipeline's training phases and of its fine-tuning; added to the
 * cross-entropy before backward ({@link ExtraLoss}).
 */
public final class OrthogonalRegularizer implements ExtraLoss {
    /** Which penalty. */
    public enum Kind {
        SO, DSO, SRIP
    }

    /**
     * Power iterations of SRIP by default: the estimate converges at (|lambda_2| / |lambda_1|)^2 per iteration; on
     * the golden cases 20 iterations give the value to 2e-4 and the gradient to 2% in the slowest case (ratio
     * 0.67), and each iteration costs only two matrix-vector products.
     */
    public static final int DEFAULT_SRIP_ITERATIONS = 20;

    private final Kind kind;
    private final int sripIterations;
    private final double lambda;
    private final double decay;
    private final boolean plainWeights;

    /** Weight 1, no decay, factors and plain weights as targets. */
    public OrthogonalRegularizer(Kind kind, int sripIterations) {
        this(kind, sripIterations, 1, 1, true);
    }

    private OrthogonalRegularizer(Kind kind, int sripIterations, double lambda, double decay, boolean plainWeights) {
        if (sripIterations < 1) {
            throw new IllegalArgumentException("SRIP iterations must be >= 1, got " + sripIterations);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda) || !(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("ortho lambda must be a finite number >= 0 and decay in (0, 1], got "
                    + lambda + ", " + decay);
        }
        this.kind = kind;
        this.sripIterations = sripIterations;
        this.lambda = lambda;
        this.decay = decay;
        this.plainWeights = plainWeights;
    }

    /** "so", "dso" or "srip" (case-insensitive), with the default SRIP iterations. */
    public static OrthogonalRegularizer parse(String name) {
        return new OrthogonalRegularizer(Kind.valueOf(name.trim().toUpperCase(Locale.ROOT)), DEFAULT_SRIP_ITERATIONS);
    }

    /** The same penalty with weight {@code lambda * decay^epoch} in epoch {@code epoch} (from 0). */
    public OrthogonalRegularizer weighted(double lambda, double decay) {
        return new OrthogonalRegularizer(kind, sripIterations, lambda, decay, plainWeights);
    }

    /** The same term over the factors only ({@code false}) or over the factors and the plain weights ({@code true}). */
    public OrthogonalRegularizer plainWeights(boolean on) {
        return new OrthogonalRegularizer(kind, sripIterations, lambda, decay, on);
    }

    /** Whether plain conv and linear weights are targets besides the factors. */
    public boolean plainWeights() {
        return plainWeights;
    }

    /**
     * {@code lambda * decay^epoch * sum R(w)} over {@code model}'s targets; null (no term) when that weight is 0
     * or the model has no target.
     */
    @Override
    public Tensor term(Module model, int epoch, long step) {
        double l = lambda * Math.pow(decay, epoch);
        List<Tensor> weights = List.copyOf(targets(model, plainWeights).values());
        if (l == 0 || weights.isEmpty()) {
            return null;
        }
        return total(weights, l);
    }

    public Kind kind() {
        return kind;
    }

    /** R(M) of one weight, shape []. */
    public Tensor penalty(Tensor weight) {
        return switch (kind) {
            case SO -> Orthogonality.so(weight);
            case DSO -> Orthogonality.dso(weight);
            case SRIP -> Orthogonality.srip(weight, sripIterations);
        };
    }

    /** {@code lambda * sum_w R(w)}, shape []; empty weight lists are rejected (nothing to regularize is a configuration error). */
    public Tensor total(List<Tensor> weights, double lambda) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("no weights to regularize");
        }
        Tensor sum = null;
        for (Tensor w : weights) {
            Tensor p = penalty(w);
            sum = sum == null ? p : sum.add(p);
        }
        return sum.scale((float) lambda);
    }

    /**
     * The weights to regularize in {@code model} (docs/method.md), by qualified parameter name: the 1x1
     * factors A and B of every factorized convolution, and with {@code includePlain} also the weight of
     * every plain convolution and linear layer (not the cores of factorized convolutions).
     */
    public static Map<String, Tensor> targets(Module model, boolean includePlain) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Module> modules = model.namedModules();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            boolean plain = includePlain && !insideFactorized(modules, e.getKey());
            switch (m) {
                case FactorizedConv2d f -> {
                    out.put(prefix + "a.weight", f.factorA().weight());
                    out.put(prefix + "b.weight", f.factorB().weight());
                }
                case Conv2d c when plain -> out.put(prefix + "weight", c.weight());
                case Linear l when plain -> out.put(prefix + "weight", l.weight());
                case Conv2d _, Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _,
                     Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ -> { }
            }
        }
        return out;
    }

    private static boolean insideFactorized(Map<String, Module> modules, String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && modules.get(name.substring(0, dot)) instanceof FactorizedConv2d;
    }
}
