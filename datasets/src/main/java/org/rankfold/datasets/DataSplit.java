package org.rankfold.datasets;

/**
 * A training set and a test set, with a one-line account of where they came from (the program prints it,
 * so a user always knows which data a result was computed on).
 */
public record DataSplit(Dataset train, Dataset test, String origin) {

    /** E.g. "fashion-mnist from /usr/share/datasets/fashion-mnist: 60000 train + 10000 test images (1x28x28, 10 classes)". */
    public String summary() {
        return origin + ": " + train.size() + " train + " + test.size() + " test images (" + train.channels() + "x"
                + train.height() + "x" + train.width() + ", " + train.classCount() + " classes)";
    }
}
