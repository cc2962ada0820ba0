package org.rankfold.engine.accounting;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Params/MACs of a model for one image (docs/method.md, params and MACs): per costed layer, totals, and the BatchNorm
 * affine parameters reported separately. FLOPs are 2 x MACs and always labelled as such.
 */
public record CostReport(int[] inputShape, List<LayerCost> layers, long batchNormParameters) {

    public CostReport {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Weights + biases of the costed layers (BatchNorm excluded). */
    public long parameters() {
        return layers.stream().mapToLong(LayerCost::parameters).sum();
    }

    public long macs() {
        return layers.stream().mapToLong(LayerCost::macs).sum();
    }

    public long flops() {
        return 2 * macs();
    }

    /** Original / compressed ratios of params and MACs. */
    public static double[] ratios(CostReport original, CostReport compressed) {
        return new double[] {(double) original.parameters() / compressed.parameters(),
            (double) original.macs() / compressed.macs()};
    }

    /** A plain-text table, one line per layer, then totals. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %-18s %-16s %-16s %12s %14s%n", "layer", "type", "input", "output",
                "params", "MACs"));
        for (LayerCost l : layers) {
            sb.append(String.format(Locale.ROOT, "%-28s %-18s %-16s %-16s %12d %14d%n", l.name(), l.type(),
                    Arrays.toString(l.inputShape()), Arrays.toString(l.outputShape()), l.parameters(), l.macs()));
        }
        sb.append(String.format(Locale.ROOT, "total: params %d (+ %d BatchNorm), MACs %d (FLOPs = 2 x MACs = %d) for input %s%n",
                parameters(), batchNormParameters, macs(), flops(), Arrays.toString(inputShape)));
        return sb.toString();
    }
}
