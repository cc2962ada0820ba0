package org.rankfold.engine.zoo;

import java.util.SplittableRandom;

import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;

/**
 * The project's Fashion-MNIST network (issue 4, and {@code torch_train.py}'s {@code fashionnet}):
 * <pre>
 *   conv3x3 C->32, BN, ReLU, conv3x3 32->32, BN, ReLU, maxpool 2,
 *   conv3x3 32->64, BN, ReLU, conv3x3 64->64, BN, ReLU, maxpool 2,
 *   flatten, linear 64*(H/4)*(W/4) -> 128, ReLU, linear 128 -> classes
 * </pre>
 * Convolutions have padding 1 and no bias (BN follows). For (1, 28, 28) the flattened size is 3136.
 * Children are named conv1, bn1, relu1, ..., pool1, ..., flatten, fc1, relu5, fc2.
 */
public final class FashionNet {
    private FashionNet() {
    }

    public static Sequential create(InputShape in, SplittableRandom rng) {
        if (in.height() < 4 || in.width() < 4) {
            throw new IllegalArgumentException("fashionnet needs an input of at least 4x4, got " + in.height() + "x" + in.width());
        }
        Sequential net = new Sequential();
        int[] widths = {32, 32, 64, 64};
        int channels = in.channels();
        for (int i = 0; i < widths.length; i++) {
            int n = i + 1;
            net.add("conv" + n, new Conv2d(channels, widths[i], 3, 1, 1, false, rng));
            net.add("bn" + n, new BatchNorm2d(widths[i]));
            net.add("relu" + n, new ReLU());
            channels = widths[i];
            if (n % 2 == 0) {
                net.add("pool" + (n / 2), new MaxPool2d(2, 2, 0));
            }
        }
        int flat = 64 * (in.height() / 2 / 2) * (in.width() / 2 / 2);
        net.add("flatten", new Flatten());
        net.add("fc1", new Linear(flat, 128, true, rng));
        net.add("relu5", new ReLU());
        net.add("fc2", new Linear(128, in.classes(), true, rng));
        return net;
    }
}
