package org.rankfold.engine.zoo;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;

/**
 * The model zoo, each a {@link Sequential} with PyTorch-style names, initialized from a seed
 * (PyTorch's default initialization, layer by layer in construction order).
 *
 * <ul>
 * <li>fashionnet: [conv3x3 -> BN -> ReLU] x2 (32, 32), maxpool 2, [conv3x3 -> BN -> ReLU] x2 (64, 64),
 * maxpool 2, linear (64*(S/4)^2 -> 128), ReLU, linear (128 -> classes). Convs have no bias (BN follows).</li>
 * <li>lenet5 (LeCun et al. 1998, with ReLU and max-pooling): conv5x5 -> 6 (padding 2 when the input is 28x28,
 * so 32x32 and 28x28 both reach 5x5), pool, conv5x5 -> 16, pool, linear 400 -> 120 -> 84 -> classes.</li>
 * <li>vgg11 / vgg16 (Simonyan and Zisserman 2015, the usual CIFAR variant): configurations A and D of conv3x3
 * (pad 1, no bias) -> BN -> ReLU with max-pool 2 at "M", then linear (512 * (S/32)^2 -> classes).</li>
 * <li>resnet20 / 32 / 56 (He et al. 2016, section 4.2): conv3x3 -> 16, BN, ReLU, three stages of n = (depth-2)/6
 * {@link BasicBlock}s with 16, 32, 64 channels (stride 2 entering stages 2 and 3, with a 1x1 projection
 * shortcut there: option B), global average pool, linear 64 -> classes.</li>
 * </ul>
 */
public final class ModelZoo {
    private ModelZoo() {
    }

    /** Names accepted by {@link #create}. */
    public static List<String> names() {
        return List.of("fashionnet", "lenet5", "vgg11", "vgg16", "resnet20", "resnet32", "resnet56");
    }

    /**
     * The model {@code name} for images of {@code inChannels} x {@code imageSize} x {@code imageSize} and
     * {@code classes} outputs.
     */
    public static Sequential create(String name, int inChannels, int imageSize, int classes, long seed) {
        if (inChannels < 1 || imageSize < 1 || classes < 2) {
            throw new IllegalArgumentException("need inChannels >= 1, imageSize >= 1, classes >= 2, got " + inChannels
                    + ", " + imageSize + ", " + classes);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fashionnet" -> fashionNet(inChannels, imageSize, classes, rng);
            case "lenet5" -> leNet5(inChannels, imageSize, classes, rng);
            case "vgg11" -> vgg(new int[] {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0}, inChannels, imageSize, classes, rng);
            case "vgg16" -> vgg(new int[] {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
                    inChannels, imageSize, classes, rng);
            case "resnet20" -> resNet(20, inChannels, classes, rng);
            case "resnet32" -> resNet(32, inChannels, classes, rng);
            case "resnet56" -> resNet(56, inChannels, classes, rng);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        };
    }

    private static Sequential fashionNet(int c, int size, int classes, SplittableRandom rng) {
        requireDivisible(size, 4, "fashionnet");
        Sequential net = new Sequential();
        int[] widths = {32, 32, 64, 64};
        int in = c;
        for (int i = 0; i < widths.length; i++) {
            net.add("conv" + (i + 1), new Conv2d(in, widths[i], 3, 1, 1, false, rng));
            net.add("bn" + (i + 1), new BatchNorm2d(widths[i]));
            net.add("relu" + (i + 1), new ReLU());
            if (i % 2 == 1) {
                net.add("pool" + (i / 2 + 1), new MaxPool2d(2, 2, 0));
            }
            in = widths[i];
        }
        int side = size / 4;
        net.add("flatten", new Flatten());
        net.add("fc1", new Linear(64 * side * side, 128, true, rng));
        net.add("relu5", new ReLU());
        net.add("fc2", new Linear(128, classes, true, rng));
        return net;
    }

    private static Sequential leNet5(int c, int size, int classes, SplittableRandom rng) {
        if (size != 28 && size != 32) {
            throw new IllegalArgumentException("lenet5 is defined for 28x28 or 32x32 inputs, got " + size);
        }
        int pad = size == 28 ? 2 : 0;
        return new Sequential()
                .add("conv1", new Conv2d(c, 6, 5, 1, pad, true, rng)).add("relu1", new ReLU())
                .add("pool1", new MaxPool2d(2, 2, 0))
                .add("conv2", new Conv2d(6, 16, 5, 1, 0, true, rng)).add("relu2", new ReLU())
                .add("pool2", new MaxPool2d(2, 2, 0))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(16 * 5 * 5, 120, true, rng)).add("relu3", new ReLU())
                .add("fc2", new Linear(120, 84, true, rng)).add("relu4", new ReLU())
                .add("fc3", new Linear(84, classes, true, rng));
    }

    /** cfg: channel counts, 0 for a max-pool. */
    private static Sequential vgg(int[] cfg, int c, int size, int classes, SplittableRandom rng) {
        requireDivisible(size, 32, "vgg");
        Sequential features = new Sequential();
        int in = c;
        for (int v : cfg) {
            if (v == 0) {
                features.add(new MaxPool2d(2, 2, 0));
            } else {
                features.add(new Conv2d(in, v, 3, 1, 1, false, rng));
                features.add(new BatchNorm2d(v));
                features.add(new ReLU());
                in = v;
            }
        }
        int side = size / 32;
        return new Sequential().add("features", features).add("flatten", new Flatten())
                .add("classifier", new Linear(512 * side * side, classes, true, rng));
    }

    private static Sequential resNet(int depth, int c, int classes, SplittableRandom rng) {
        int n = (depth - 2) / 6;
        Sequential net = new Sequential()
                .add("conv1", new Conv2d(c, 16, 3, 1, 1, false, rng))
                .add("bn1", new BatchNorm2d(16))
                .add("relu", new ReLU());
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            Sequential layer = new Sequential();
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                layer.add(new BasicBlock(in, widths[stage], stride, rng));
                in = widths[stage];
            }
            net.add("layer" + (stage + 1), layer);
        }
        return net.add("avgpool", new GlobalAvgPool()).add("flatten", new Flatten())
                .add("fc", new Linear(64, classes, true, rng));
    }

    private static void requireDivisible(int size, int by, String model) {
        if (size % by != 0) {
            throw new IllegalArgumentException(model + " needs an image size divisible by " + by + ", got " + size);
        }
    }
}
