package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
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
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Result;

/**
 * Replaces the layers of a model by their low-rank forms, following a {@link DecompositionPlan}
 * (docs/method.md: factorized convolution, Tucker-2, which layers):
 * <ul>
 * <li>Tucker-2 {@code W ≈ core x0 U0 x1 U1} of a kxk kernel becomes
 * {@code FactorizedConv2d(A = U1^T [R1, C], core [R0, R1, KH, KW], B = U0 [S, R0])}: stride, padding and
 * dilation on the core, the bias on B;</li>
 * <li>the truncated SVD {@code W ≈ U_R diag(s_R) V_R^T} of a linear layer's {@code [out, in]} weight
 * becomes {@code Sequential(Linear(in -> R) = V_R^T, Linear(R -> out) = U_R diag(s_R) + bias)}, and of a
 * 1x1 convolution {@code Sequential(Conv2d 1x1 C -> R with the original stride/padding, Conv2d 1x1 R -> S +
 * bias)}; the first factor is orthonormal, as A of Tucker-2 is.</li>
 * </ul>
 * Each layer yields one {@link DecompositionAudit} (skips included, with their reason). The model is
 * modified in place through {@link Module#replaceModule}; the new layer takes the old one's train/eval mode.
 */
public final class Decomposer {
    private Decomposer() {
    }

    /** Plans and applies: {@link DecompositionPlanner#plan} then {@link #apply}. Modifies {@code model}. */
    public static DecompositionResult decompose(Module model, int[] inputShape, DecomposerOptions options) {
        return apply(model, DecompositionPlanner.plan(model, inputShape, options), options);
    }

    /** Applies {@code plan} (made for this model) to {@code model}, which is modified. */
    public static DecompositionResult apply(Module model, DecompositionPlan plan, DecomposerOptions options) {
        Map<String, Module> modules = model.namedModules();
        List<DecompositionAudit> audits = new ArrayList<>();
        long paramsAfter = plan.paramsBefore();
        long macsAfter = plan.macsBefore();
        for (LayerPlan p : plan.layers()) {
            long t0 = System.nanoTime();
            DecompositionAudit a;
            if (p.method() == Method.SKIPPED) {
                a = p.skippedAudit(options.phase(), seconds(t0));
            } else {
                a = replace(model, modules.get(p.name()), p, options, t0);
            }
            paramsAfter += a.paramsAfter() - a.paramsBefore();
            macsAfter += a.macsAfter() - a.macsBefore();
            audits.add(a);
        }
        return new DecompositionResult(audits, plan.paramsBefore(), paramsAfter, plan.macsBefore(), macsAfter);
    }

    private static DecompositionAudit replace(Module model, Module layer, LayerPlan p, DecomposerOptions options,
                                              long t0) {
        if (layer == null) {
            throw new IllegalArgumentException("the plan names layer '" + p.name() + "', which the model does not have");
        }
        Replacement r = p.method() == Method.TUCKER2 ? tucker(layer, p, options) : svd(layer, p);
        model.replaceModule(p.name(), r.module());
        r.module().train(layer.isTraining());
        List<String> notes = new ArrayList<>(p.notes());
        p.unfoldings().forEach(u -> {
            if (u.clampedToOne()) {
                notes.add("warning: " + u.selector() + " proposed rank 0 for mode " + u.mode() + "; clamped to 1");
            }
        });
        return new DecompositionAudit(options.phase(), p.name(), p.method().label(), p.weightShape(), p.unfoldings(),
                p.ranks(), r.relativeError(), r.hosvdRelativeError(), r.iterations(), p.paramsBefore(), p.paramsAfter(),
                p.macsBefore(), p.macsAfter(), seconds(t0), notes, p.timing());
    }

    /** A layer's new form and how well it fits. */
    private record Replacement(Module module, double relativeError, double hosvdRelativeError, int iterations) {
    }

    private static Conv2d asConv(Module layer) {
        return switch (layer) {
            case FactorizedConv2d f -> f.fold();
            case Conv2d c -> c;
            case Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _,
                 Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ ->
                    throw new IllegalArgumentException("layer type " + layer.getClass().getSimpleName() + " has no convolution kernel");
        };
    }

    private static Replacement tucker(Module layer, LayerPlan p, DecomposerOptions options) {
        Conv2d conv = asConv(layer);
        checkShape(conv.weight(), p);
        Tucker2Result t = Tucker2.decompose(WeightTensors.toDense(conv.weight()), p.ranks()[0], p.ranks()[1],
                options.tucker());
        return new Replacement(tuckerLayer(conv, t), t.relativeError(), t.hosvdRelativeError(), t.iterations());
    }

    /** The factorized layer of a Tucker-2 result of {@code conv}'s kernel: A = U1^T, the core, B = U0 (+ bias). */
    static FactorizedConv2d tuckerLayer(Conv2d conv, Tucker2Result t) {
        int[] s = t.kernelShape();
        Tensor a = WeightTensors.toTensor(t.u1(), true);
        Tensor core = WeightTensors.toTensor(t.core(), t.rankOut(), t.rankIn(), s[2], s[3]);
        Tensor b = WeightTensors.toTensor(t.u0(), false);
        return FactorizedConv2d.fromFactors(a, core, b, conv.bias(), conv.spec());
    }

    private static Replacement svd(Module layer, LayerPlan p) {
        Tensor weight = layer instanceof Linear l ? l.weight() : asConv(layer).weight();
        checkShape(weight, p);
        int r = p.ranks()[0];
        DMatrixRMaj m = WeightTensors.toMatrix(weight);
        LowRankFactors f = TruncatedSvd.decompose(m, r);
        Tensor a = WeightTensors.toTensor(f.inFactor(), false);
        Tensor b = WeightTensors.toTensor(f.outFactor(), false);
        Module replacement;
        if (layer instanceof Linear l) {
            replacement = new Sequential(Linear.of(a, null), Linear.of(b, l.bias() == null ? null : l.bias().copy()));
        } else {
            Conv2d c = asConv(layer);
            replacement = new Sequential(
                    Conv2d.of(a.reshape(r, m.numCols, 1, 1).detach(), null, c.spec()),
                    Conv2d.of(b.reshape(m.numRows, r, 1, 1).detach(), c.bias() == null ? null : c.bias().copy(),
                            ConvSpec.square(1, 1, 0, 1)));
        }
        return new Replacement(replacement, f.relativeError(), Double.NaN, 0);
    }

    private static void checkShape(Tensor w, LayerPlan p) {
        if (!Arrays.equals(w.shape(), p.weightShape())) {
            throw new IllegalArgumentException("layer '" + p.name() + "' has weight " + Arrays.toString(w.shape())
                    + " but the plan was made for " + Arrays.toString(p.weightShape()));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) * 1e-9;
    }
}
