package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.tensor.Tensor;

/**
 * The residual block of He et al. 2016 (CIFAR ResNets): conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus
 * the shortcut, then ReLU. The shortcut is the identity when shape is kept, otherwise a 1x1 projection
 * convolution with the block's stride followed by BN (option B of the paper). Children: conv1, bn1,
 * conv2, bn2 and, when projecting, shortcut (conv "0", BN "1").
 */
public final class BasicBlock extends Module {
    private Module conv1;
    private final BatchNorm2d bn1;
    private Module conv2;
    private final BatchNorm2d bn2;
    private final Sequential shortcut;

    public BasicBlock(int inChannels, int outChannels, int stride, SplittableRandom rng) {
        conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, stride, 1, false, rng));
        bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, 1, 1, false, rng));
        bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels) {
            shortcut = registerModule("shortcut", new Sequential(
                    new Conv2d(inChannels, outChannels, 1, stride, 0, false, rng), new BatchNorm2d(outChannels)));
        } else {
            shortcut = null;
        }
    }

    /**
     * A block from existing layers (checkpoint loading, decomposed blocks whose convolutions are
     * FactorizedConv2d): {@code shortcut} is the projection (conv "0", BN "1") or null for the identity.
     */
    public BasicBlock(Module conv1, BatchNorm2d bn1, Module conv2, BatchNorm2d bn2, Sequential shortcut) {
        this.conv1 = registerModule("conv1", conv1);
        this.bn1 = registerModule("bn1", bn1);
        this.conv2 = registerModule("conv2", conv2);
        this.bn2 = registerModule("bn2", bn2);
        this.shortcut = shortcut == null ? null : registerModule("shortcut", shortcut);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor h = bn1.forward(conv1.forward(x)).relu();
        h = bn2.forward(conv2.forward(h));
        Tensor s = shortcut == null ? x : shortcut.forward(x);
        return h.add(s).relu();
    }

    /** Supports replacing conv1 and conv2 (e.g. by a factorized form); the shortcut is a Sequential of its own. */
    @Override
    protected void rebindChild(String name, Module old, Module replacement) {
        switch (name) {
            case "conv1" -> conv1 = replacement;
            case "conv2" -> conv2 = replacement;
            default -> super.rebindChild(name, old, replacement);
        }
    }

    /** True when the shortcut is a 1x1 projection. */
    public boolean projects() {
        return shortcut != null;
    }
}
