package org.rankfold.engine.train;

/** Mean cross-entropy and top-1 accuracy (fraction in [0, 1]) over {@code images} images. */
public record EvalResult(double loss, double accuracy, long images) {
}
