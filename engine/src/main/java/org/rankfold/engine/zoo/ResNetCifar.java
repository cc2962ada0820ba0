package org.rankfold.engine.zoo;

import java.util.SplittableRandom;

import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;

/**
 * The CIFAR ResNets of He et al. 2016 (section 4.2): ResNet-(6n+2) with a conv3x3 C->16, three stages of
 * n {@link BasicBlock}s with 16, 32 and 64 channels (the first block of stages 2 and 3 has stride 2),
 * global average pooling and a linear 64 -> classes. n = 3, 5, 9 give ResNet-20, -32, -56.
 *
 * <p>The shortcut that changes shape is a 1x1 projection + BN (the paper's option B, as in
 * {@code torch_train.py}), not the zero-padding option A the paper used on CIFAR: ResNet-20 has 272,474
 * parameters with BN's instead of 269,722 ("0.27M" either way). Any input size works (the pooling is
 * global), so ResNet-20 also runs on 1x28x28 Fashion-MNIST. Children: conv1, bn1, relu, layer1..3 (blocks
 * "0", "1", ...), pool, flatten, fc.
 */
public final class ResNetCifar {
    private ResNetCifar() {
    }

    /** ResNet-(6n+2): {@code blocksPerStage} = n. */
    public static Sequential create(int blocksPerStage, InputShape in, SplittableRandom rng) {
        if (blocksPerStage < 1) {
            throw new IllegalArgumentException("ResNet needs at least one block per stage, got " + blocksPerStage);
        }
        Sequential net = new Sequential()
                .add("conv1", new Conv2d(in.channels(), 16, 3, 1, 1, false, rng))
                .add("bn1", new BatchNorm2d(16))
                .add("relu", new ReLU());
        int channels = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < widths.length; stage++) {
            Sequential layer = new Sequential();
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                layer.add(new BasicBlock(channels, widths[stage], stride, rng));
                channels = widths[stage];
            }
            net.add("layer" + (stage + 1), layer);
        }
        return net.add("pool", new GlobalAvgPool())
                .add("flatten", new Flatten())
                .add("fc", new Linear(channels, in.classes(), true, rng));
    }
}
