package org.rankfold.engine.train;

/**
 * The metrics of one finished epoch, one row of {@code metrics.csv}. {@code epoch} counts from 1;
 * {@code trainLoss}/{@code trainAccuracy} are image-weighted means over the epoch's training batches in
 * training mode (cross-entropy only, without an extra loss term); {@code testLoss}/{@code testAccuracy}
 * are NaN when there is no test set; {@code learningRate} is the rate used during the epoch; {@code seconds}
 * is the wall time of the epoch including evaluation.
 */
public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double learningRate, double seconds) {
}
