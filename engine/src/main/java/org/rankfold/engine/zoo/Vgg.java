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
 * VGG (Simonyan and Zisserman 2015, configurations A = VGG-11 and D = VGG-16) in the CIFAR variant used
 * throughout the compression literature: conv3x3 (padding 1, bias) + BN + ReLU blocks, max pooling 2 after
 * each stage, and a single linear classifier 512 -> classes instead of the three 4096-wide layers (the
 * five poolings leave 512x1x1 for a 32x32 input). VGG-16 has 14,728,266 parameters with BN's (CIFAR-10).
 * Children: "features" (conv/bn/relu/pool numbered 0, 1, 2, ... as in torchvision), "flatten",
 * "classifier".
 */
public final class Vgg {
    /** Stage widths, 0 marking a max pooling. */
    static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private Vgg() {
    }

    public static Sequential vgg11(InputShape in, SplittableRandom rng) {
        return create(VGG11, in, rng);
    }

    public static Sequential vgg16(InputShape in, SplittableRandom rng) {
        return create(VGG16, in, rng);
    }

    private static Sequential create(int[] config, InputShape in, SplittableRandom rng) {
        Sequential features = new Sequential();
        int channels = in.channels();
        int h = in.height();
        int w = in.width();
        for (int width : config) {
            if (width == 0) {
                features.add(new MaxPool2d(2, 2, 0));
                h /= 2;
                w /= 2;
                if (h < 1 || w < 1) {
                    throw new IllegalArgumentException("VGG needs an input of at least 32x32 (five poolings by 2), got "
                            + in.height() + "x" + in.width());
                }
            } else {
                features.add(new Conv2d(channels, width, 3, 1, 1, true, rng));
                features.add(new BatchNorm2d(width));
                features.add(new ReLU());
                channels = width;
            }
        }
        return new Sequential()
                .add("features", features)
                .add("flatten", new Flatten())
                .add("classifier", new Linear(channels * h * w, in.classes(), true, rng));
    }
}
