package org.rankfold.engine.zoo;

import java.util.SplittableRandom;

import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;

/**
 * LeNet-5 (LeCun et al. 1998) in its common modern form: ReLU instead of scaled tanh, max pooling instead
 * of trainable sub-sampling, a full C3 connection table:
 * <pre>
 *   conv5x5 C->6 (+bias), ReLU, maxpool 2, conv5x5 6->16 (+bias), ReLU, maxpool 2,
 *   flatten, linear 16*5*5 -> 120, ReLU, linear 120 -> 84, ReLU, linear 84 -> classes
 * </pre>
 * The first convolution pads a smaller input up to the original 32x32 (padding 2 for 28x28 images, 0 for
 * 32x32), so the classifier always sees 16x5x5 features when the input is 28..32 pixels; 61,706
 * parameters for 1x28x28 and 10 classes. Children: conv1, relu1, pool1, conv2, relu2, pool2, flatten,
 * fc1, relu3, fc2, relu4, fc3.
 */
public final class LeNet5 {
    private LeNet5() {
    }

    public static Sequential create(InputShape in, SplittableRandom rng) {
        int padH = Math.max(0, (32 - in.height()) / 2);
        int padW = Math.max(0, (32 - in.width()) / 2);
        if (padH != padW) {
            throw new IllegalArgumentException("lenet5 needs a square input, got " + in.height() + "x" + in.width());
        }
        int h = ((in.height() + 2 * padH - 4) / 2 - 4) / 2;
        int w = ((in.width() + 2 * padW - 4) / 2 - 4) / 2;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("lenet5 needs an input of at least 14x14, got " + in.height() + "x" + in.width());
        }
        return new Sequential()
                .add("conv1", new Conv2d(in.channels(), 6, 5, 1, padH, true, rng))
                .add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2, 0))
                .add("conv2", new Conv2d(6, 16, 5, 1, 0, true, rng))
                .add("relu2", new ReLU())
                .add("pool2", new MaxPool2d(2, 2, 0))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(16 * h * w, 120, true, rng))
                .add("relu3", new ReLU())
                .add("fc2", new Linear(120, 84, true, rng))
                .add("relu4", new ReLU())
                .add("fc3", new Linear(84, in.classes(), true, rng));
    }
}
