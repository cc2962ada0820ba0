package org.rankfold.engine.checkpoint;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.zoo.ModelZoo;

/**
 * The shape of one input image without the batch dimension, (channels, height, width), and the number
 * of classes a classifier predicts.
 */
public record InputShape(int channels, int height, int width, int classes) {
    public InputShape {
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("input shape needs channels, height, width >= 1 and classes >= 2, got ("
                    + channels + ", " + height + ", " + width + "), " + classes + " classes");
        }
    }

    /** Fashion-MNIST / MNIST: (1, 28, 28), 10 classes. */
    public static final InputShape FASHION_MNIST = new InputShape(1, 28, 28, 10);
    /** CIFAR-10: (3, 32, 32), 10 classes. */
    public static final InputShape CIFAR10 = new InputShape(3, 32, 32, 10);

    /** {@code 1x28x28 images of 10 classes}: the shape as error messages and summaries name it. */
    public String describe() {
        return channels + "x" + height + "x" + width + " images of " + classes + " classes";
    }

    /** (C, H, W) as an array, the form {@code CostProfiler.profile} takes. */
    public int[] chw() {
        return new int[] {channels, height, width};
    }

    /** The zoo model {@code name} for this input (square images only, as the zoo builds them). */
    public Module createZooModel(String name, long seed) {
        if (height != width) {
            throw new IllegalArgumentException("the zoo models take square images, got " + height + "x" + width);
        }
        return ModelZoo.create(name, channels, height, classes, seed);
    }
}
