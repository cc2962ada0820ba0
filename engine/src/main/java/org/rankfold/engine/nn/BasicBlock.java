package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.ops.ElementwiseOps;
import org.rankfold.engine.tensor.Tensor;

/**
 * The residual block of He et al. 2016 (CIFAR ResNets): conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus
 * the shortcut, then ReLU. The shortcut is the identity when shape is kept, otherwise a 1x1 projection
 * convolution with the block's stride followed by BN (option B of the paper). Children: conv1, bn1,
 * conv2, bn2 and, when projecting, shortcut (conv "0", BN "1").
 */
public final class BasicBlock extends Module {
    private final boolean projects;

    public BasicBlock(int inChannels, int outChannels, int stride, SplittableRandom rng) {
        registerModule("conv1", new Conv2d(inChannels, outChannels, 3, stride, 1, false, rng));
        registerModule("bn1", new BatchNorm2d(outChannels));
        registerModule("conv2", new Conv2d(outChannels, outChannels, 3, 1, 1, false, rng));
        registerModule("bn2", new BatchNorm2d(outChannels));
        projects = stride != 1 || inChannels != outChannels;
        if (projects) {
            registerModule("shortcut", new Sequential(
                    new Conv2d(inChannels, outChannels, 1, stride, 0, false, rng), new BatchNorm2d(outChannels)));
        }
    }

    /**
     * A block from existing layers (checkpoint loading, decomposed blocks whose convolutions are
     * FactorizedConv2d): {@code shortcut} is the projection (conv "0", BN "1") or null for the identity.
     */
    public BasicBlock(Module conv1, BatchNorm2d bn1, Module conv2, BatchNorm2d bn2, Sequential shortcut) {
        registerModule("conv1", conv1);
        registerModule("bn1", bn1);
        registerModule("conv2", conv2);
        registerModule("bn2", bn2);
        projects = shortcut != null;
        if (projects) {
            registerModule("shortcut", shortcut);
        }
    }

    @Override
    protected Tensor compute(Tensor x) {
        // children are looked up by name so that a decomposer can replace conv1/conv2 (Module.replaceModule)
        Tensor c1 = child("conv1").forward(x);
        Tensor h = child("bn1") instanceof BatchNorm2d bn1 ? bn1.forwardRelu(c1) : child("bn1").forward(c1).relu();
        h = child("bn2").forward(child("conv2").forward(h));
        Tensor s = projects ? child("shortcut").forward(x) : x;
        // the residual add and the final ReLU as one op (one pass each way)
        return ElementwiseOps.addRelu(h, s);
    }

    /** True when the shortcut is a 1x1 projection. */
    public boolean projects() {
        return projects;
    }
}
