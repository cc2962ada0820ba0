package org.rankfold.engine.nn;

import org.rankfold.engine.ops.ElementwiseOps;
import org.rankfold.engine.tensor.Tensor;

/**
 * A {@link BasicBlock} after {@link org.rankfold.engine.export.BatchNormFolding}: each BN has been folded into
 * the convolution before it, so the block is {@code relu(conv2(relu(conv1(x))) + shortcut(x))} with the
 * shortcut the identity or a projection (a {@link Sequential} holding the folded 1x1 conv as "0").
 * Children keep the block's names (conv1, conv2, shortcut), so parameter names stay PyTorch-like. For
 * inference only: it has no BN to train.
 */
public final class FoldedBasicBlock extends Module {
    private final Module conv1;
    private final Module conv2;
    private final Sequential shortcut;

    /** conv1, conv2: Conv2d or FactorizedConv2d with their BN folded in; shortcut: null for the identity. */
    public FoldedBasicBlock(Module conv1, Module conv2, Sequential shortcut) {
        this.conv1 = registerModule("conv1", conv1);
        this.conv2 = registerModule("conv2", conv2);
        this.shortcut = shortcut == null ? null : registerModule("shortcut", shortcut);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor h = conv2.forward(conv1.forward(x).relu());
        Tensor s = shortcut == null ? x : shortcut.forward(x);
        // the residual add and the final ReLU as one op (one pass each way)
        return ElementwiseOps.addRelu(h, s);
    }

    public Module conv1() {
        return conv1;
    }

    public Module conv2() {
        return conv2;
    }

    /** The projection shortcut, or null for the identity. */
    public Sequential shortcut() {
        return shortcut;
    }

    @Override
    public String toString() {
        return "FoldedBasicBlock(" + conv1 + ", " + conv2 + (shortcut == null ? "" : ", projection") + ")";
    }
}
