package org.rankfold.engine.zoo;

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

    /** (C, H, W) as an array, the form {@link org.rankfold.engine.nn.Costed#macs} takes. */
    public int[] chw() {
        return new int[] {channels, height, width};
    }
}
