package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.accounting.LayerCost;
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
import org.rankfold.vbmf.audit.ConvCost;
import org.rankfold.vbmf.audit.LayerTiming;
import org.rankfold.vbmf.audit.UnfoldingAudit;
import org.rankfold.vbmf.rank.RankChoice;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;

/**
 * Decides, layer by layer, what the {@link Decomposer} will do (docs/method.md, which layers), without computing any
 * factor:
 * <ul>
 * <li>a kxk {@link Conv2d} (or a {@link FactorizedConv2d}, folded to its effective kernel first) gets
 * Tucker-2 at {@code R0} = the selector's rank of the mode-0 unfolding {@code [S, C*KH*KW]} and {@code R1}
 * = that of the mode-1 unfolding {@code [C, S*KH*KW]} (Kim et al., ICLR 2016);</li>
 * <li>a 1x1 convolution ({@link DecomposerOptions#pointwise()}) or a {@link Linear} layer
 * ({@link DecomposerOptions#linear()}) gets a two-factor SVD at the selector's rank of its weight matrix;</li>
 * <li>the first convolution of the forward pass stays dense unless {@link DecomposerOptions#first()};</li>
 * <li>the classifier, a {@link Linear} that is the last layer with weights, stays dense unless
 * {@link DecomposerOptions#classifier()};</li>
 * <li>a layer is decomposed only if its params and its MACs both drop (and, with a {@link SpeedCheck} in the
 * options, {@code --speed-aware}, only if its decomposed form is also measured faster); otherwise it is
 * skipped and the reason recorded. (Grouped/depthwise convolutions cannot occur: the engine's {@code Conv2d} supports
 * groups = 1 only.)</li>
 * </ul>
 * Costs per image come from a traced forward pass ({@link CostProfiler}), so every layer is charged for
 * the input it really receives. Tucker-2 costs are {@code C*R1 + R1*R0*KH*KW + R0*S (+S)} params and
 * {@code H*W*C*R1 + OH*OW*R1*R0*KH*KW + OH*OW*R0*S} MACs ({@link ConvCost}); the SVD of an
 * {@code out x in} matrix at rank R costs {@code R*(in + out) (+out)} params and {@code P*R*(in + out)}
 * MACs, P the output pixels (1 for a linear layer).
 */
public final class DecompositionPlanner {
    private DecompositionPlanner() {
    }

    /** The plan for {@code model} (not modified) on one input of shape {@code inputShape} (no batch dimension). */
    public static DecompositionPlan plan(Module model, int[] inputShape, DecomposerOptions options) {
        CostReport report = CostProfiler.profile(model, inputShape);
        Map<String, Module> modules = model.namedModules();
        List<LayerPlan> plans = new ArrayList<>();
        String classifier = classifierName(report, modules);
        boolean firstConvSeen = false;
        for (LayerCost lc : report.layers()) {
            String name = moduleName(lc);
            Module m = modules.get(name);
            boolean conv = m instanceof Conv2d || m instanceof FactorizedConv2d;
            boolean first = conv && !firstConvSeen;
            firstConvSeen |= conv;
            LayerPlan p = planLayer(lc, m, first, name.equals(classifier), options);
            if (p.method() != Method.SKIPPED && name.isEmpty()) {
                p = p.skipped("the model is this single layer: there is no container to replace it in");
            }
            plans.add(p);
        }
        return new DecompositionPlan(inputShape, plans, report.parameters(), report.macs());
    }

    /** The module name of a traced layer ("" for the model itself). */
    private static String moduleName(LayerCost lc) {
        return lc.name().equals("<model>") ? "" : lc.name();
    }

    /** The name of the last layer with weights in forward order if it is a {@link Linear}, else null. */
    private static String classifierName(CostReport report, Map<String, Module> modules) {
        String last = null;
        for (LayerCost lc : report.layers()) {
            String name = moduleName(lc);
            Module m = modules.get(name);
            if (m instanceof Conv2d || m instanceof FactorizedConv2d || m instanceof Linear) {
                last = m instanceof Linear ? name : null;
            }
        }
        return last;
    }

    private static LayerPlan planLayer(LayerCost lc, Module m, boolean first, boolean classifier,
                                       DecomposerOptions options) {
        List<String> notes = new ArrayList<>();
        Conv2d conv;
        switch (m) {
            case FactorizedConv2d f -> {
                conv = f.fold();
                notes.add("folded FactorizedConv2d(R_in = " + f.rankIn() + ", R_out = " + f.rankOut()
                        + ") to its effective kernel before rank selection");
            }
            case Conv2d c -> conv = c;
            case Linear l -> {
                return planLinear(lc, l, classifier, options, notes);
            }
            case BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _, Dropout _,
                 Sequential _, BasicBlock _, FoldedBasicBlock _ -> {
                return unchanged(lc, new int[0], "layer type " + lc.type() + " has no decomposition");
            }
        }
        int[] shape = conv.weight().shape();
        if (first && !options.first()) {
            return unchanged(lc, shape, "first convolution (the input layer) left dense; enable 'first' to decompose it");
        }
        if (shape[2] == 1 && shape[3] == 1) {
            if (!options.pointwise()) {
                return unchanged(lc, shape, "1x1 convolution left dense; enable 'pointwise' for a two-factor SVD");
            }
            int pixels = lc.outputShape()[1] * lc.outputShape()[2];
            return planSvd(lc, m, shape, conv.weight(), conv.bias() != null, pixels, options, notes);
        }
        return planTucker(lc, m, conv, options, notes);
    }

    private static LayerPlan planTucker(LayerCost lc, Module layer, Conv2d conv, DecomposerOptions options,
                                        List<String> notes) {
        int[] shape = conv.weight().shape();
        DenseTensor w = WeightTensors.toDense(conv.weight());
        int rest = shape[2] * shape[3];
        RankChoice c0 = options.selector().select(Unfolding.unfold(w, 0));
        RankChoice c1 = options.selector().select(Unfolding.unfold(w, 1));
        List<UnfoldingAudit> unf = List.of(UnfoldingAudit.of(0, shape[0], shape[1] * rest, c0),
                UnfoldingAudit.of(1, shape[1], shape[0] * rest, c1));
        int[] in = lc.inputShape();
        int[] out = lc.outputShape();
        ConvCost cost = new ConvCost(shape[0], shape[1], shape[2], shape[3], in[1], in[2], out[1], out[2],
                conv.bias() != null);
        int r0 = c0.rank();
        int r1 = c1.rank();
        LayerPlan p = new LayerPlan(lc.name(), lc.type(), Method.TUCKER2, shape, in, unf, new int[] {r0, r1},
                lc.parameters(), cost.tuckerParams(r0, r1), lc.macs(), cost.tuckerMacs(r0, r1), notes);
        return checkSpeed(checkSaving(p), layer, options);
    }

    private static LayerPlan planLinear(LayerCost lc, Linear l, boolean classifier, DecomposerOptions options,
                                        List<String> notes) {
        int[] shape = l.weight().shape();
        if (classifier && !options.classifier()) {
            return unchanged(lc, shape, "the classifier (last layer) left dense: its rank bounds how many classes the"
                    + " logits can separate; enable 'classifier' to decompose it");
        }
        if (!options.linear()) {
            return unchanged(lc, shape, "linear layer left dense; enable 'linear' for a two-factor SVD");
        }
        return planSvd(lc, l, shape, l.weight(), l.bias() != null, 1, options, notes);
    }

    private static LayerPlan planSvd(LayerCost lc, Module layer, int[] shape, Tensor weight, boolean bias, int pixels,
                                     DecomposerOptions options, List<String> notes) {
        DMatrixRMaj matrix = WeightTensors.toMatrix(weight);
        RankChoice c = options.selector().select(matrix);
        int r = c.rank();
        long outs = matrix.numRows;
        long ins = matrix.numCols;
        long params = r * (ins + outs) + (bias ? outs : 0);
        long macs = (long) pixels * r * (ins + outs);
        LayerPlan p = new LayerPlan(lc.name(), lc.type(), Method.SVD, shape, lc.inputShape(),
                List.of(UnfoldingAudit.of(0, matrix.numRows, matrix.numCols, c)), new int[] {r}, lc.parameters(),
                params, lc.macs(), macs, notes);
        return checkSpeed(checkSaving(p), layer, options);
    }

    /** Skips a planned decomposition that does not lower both params and MACs. */
    private static LayerPlan checkSaving(LayerPlan p) {
        if (p.paramsAfter() < p.paramsBefore() && p.macsAfter() < p.macsBefore()) {
            return p;
        }
        return p.skipped(String.format(Locale.ROOT,
                "no saving at ranks %s: params %d -> %d, MACs %d -> %d (a layer is decomposed only if both drop)",
                java.util.Arrays.toString(p.ranks()), p.paramsBefore(), p.paramsAfter(), p.macsBefore(),
                p.macsAfter()));
    }

    /**
     * With {@code --speed-aware}: skips a decomposition that saves params and MACs but is not measured faster
     * than the layer as it is ({@link SpeedCheck}); the timing is recorded either way.
     */
    private static LayerPlan checkSpeed(LayerPlan p, Module layer, DecomposerOptions options) {
        if (options.speed() == null || p.method() == Method.SKIPPED) {
            return p;
        }
        LayerTiming t = options.speed().measure(p.name(), layer, p.weightShape(), p.inputShape(), p.ranks());
        LayerPlan timed = p.timed(t);
        if (t.faster()) {
            return timed;
        }
        return timed.skipped(String.format(Locale.ROOT,
                "not measured faster at ranks %s: %.3g ms -> %.3g ms per forward of %d images (speedup %.2fx; the"
                        + " decomposed form must be %.0f%% faster; --speed-aware)", java.util.Arrays.toString(p.ranks()),
                1e3 * t.originalSeconds(), 1e3 * t.decomposedSeconds(), t.batch(), t.speedup(), 100 * t.margin()));
    }

    private static LayerPlan unchanged(LayerCost lc, int[] shape, String reason) {
        return new LayerPlan(lc.name(), lc.type(), Method.SKIPPED, shape, lc.inputShape(), List.of(), new int[0],
                lc.parameters(), lc.parameters(), lc.macs(), lc.macs(), List.of(reason));
    }
}
