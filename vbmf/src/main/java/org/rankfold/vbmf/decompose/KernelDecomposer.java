package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.audit.ConvCost;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.UnfoldingAudit;
import org.rankfold.vbmf.rank.RankChoice;
import org.rankfold.vbmf.rank.RankSelector;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Options;
import org.rankfold.vbmf.tucker.Tucker2Result;

/**
 * The per-layer decision of the compression pipeline, on plain arrays (the engine maps its layers onto
 * it): choose ranks on the unfoldings, keep the decomposition only if params and MACs both drop
 * (docs/method.md), and describe the step for the audit trail. kxk convs get Tucker-2 with ranks chosen on
 * the mode-0 and mode-1 unfoldings (Kim et al., ICLR 2016); 1x1 convs and linear layers get a two-factor
 * SVD at the rank chosen on their matrix.
 */
public final class KernelDecomposer {
    /** The audit phase of these steps. */
    public static final String PHASE = "decompose";

    private KernelDecomposer() {
    }

    /**
     * Tucker-2 of a conv kernel {@code [S, C, KH, KW]} (not modified) whose sizes {@code cost} describes.
     */
    public static ConvDecision tucker2(String layer, DenseTensor kernel, ConvCost cost, RankSelector selector,
                                       Tucker2Options options) {
        long start = System.nanoTime();
        checkShape(kernel.shape(), new int[] {cost.outChannels(), cost.inChannels(), cost.kernelHeight(),
                cost.kernelWidth()});
        DMatrixRMaj mode0 = Unfolding.unfold(kernel, 0);
        DMatrixRMaj mode1 = Unfolding.unfold(kernel, 1);
        RankChoice c0 = selector.select(mode0);
        RankChoice c1 = selector.select(mode1);
        long params = cost.tuckerParams(c0.rank(), c1.rank());
        long macs = cost.tuckerMacs(c0.rank(), c1.rank());
        if (params >= cost.denseParams() || macs >= cost.denseMacs()) {
            List<UnfoldingAudit> unfoldings = List.of(
                    UnfoldingAudit.of(0, mode0.numRows, mode0.numCols, c0),
                    UnfoldingAudit.of(1, mode1.numRows, mode1.numCols, c1));
            String reason = "not decomposed: at ranks (" + c0.rank() + ", " + c1.rank() + ") params "
                    + cost.denseParams() + " -> " + params + ", MACs " + cost.denseMacs() + " -> " + macs
                    + "; both must drop";
            return new ConvDecision(false, null, DecompositionAudit.skipped(PHASE, layer, kernel.shape(), unfoldings,
                    new int[] {c0.rank(), c1.rank()}, cost.denseParams(), cost.denseMacs(), seconds(start), reason));
        }
        Tucker2Result t = Tucker2.decompose(kernel, c0.rank(), c1.rank(), options);
        return new ConvDecision(true, t, DecompositionAudit.tucker2(PHASE, layer, c0, c1, t, cost, seconds(start)));
    }

    /**
     * Two-factor SVD of a linear weight {@code [out, in]} or a 1x1 conv weight viewed as one (not modified),
     * at the rank the selector chooses on it.
     */
    public static MatrixDecision svd(String layer, DMatrixRMaj weight, ConvCost cost, RankSelector selector) {
        long start = System.nanoTime();
        checkShape(new int[] {weight.numRows, weight.numCols}, new int[] {cost.outChannels(), cost.inChannels()});
        RankChoice c = selector.select(weight);
        long params = cost.svdParams(c.rank());
        long macs = cost.svdMacs(c.rank());
        List<UnfoldingAudit> unfoldings = List.of(UnfoldingAudit.of(0, weight.numRows, weight.numCols, c));
        int[] shape = {weight.numRows, weight.numCols};
        if (params >= cost.denseParams() || macs >= cost.denseMacs()) {
            String reason = "not decomposed: at rank " + c.rank() + " params " + cost.denseParams() + " -> " + params
                    + ", MACs " + cost.denseMacs() + " -> " + macs + "; both must drop";
            return new MatrixDecision(false, null, DecompositionAudit.skipped(PHASE, layer, shape, unfoldings,
                    new int[] {c.rank()}, cost.denseParams(), cost.denseMacs(), seconds(start), reason));
        }
        LowRankFactors f = TruncatedSvd.decompose(weight, c.rank());
        List<String> notes = new ArrayList<>();
        if (c.clampedToOne()) {
            notes.add("warning: " + c.selector() + " proposed rank 0; clamped to 1");
        }
        DecompositionAudit audit = new DecompositionAudit(PHASE, layer, "svd", shape, unfoldings,
                new int[] {c.rank()}, f.relativeError(), Double.NaN, 0, cost.denseParams(), params,
                cost.denseMacs(), macs, seconds(start), notes);
        return new MatrixDecision(true, f, audit);
    }

    private static void checkShape(int[] actual, int[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(actual)
                    + " does not match the cost description " + Arrays.toString(expected));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
