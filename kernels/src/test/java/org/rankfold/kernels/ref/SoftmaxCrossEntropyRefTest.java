package org.rankfold.kernels.ref;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The loss reference on cases worked out by hand: log-softmax, mean NLL, and its gradient. */
class SoftmaxCrossEntropyRefTest {

    @Test
    void uniformLogitsGiveLogClassesAndLargeLogitsDoNotOverflow() {
        // row 0: equal logits -> log(1/3) each; row 1: logits (1000, 0, 0) -> log-probs (~0, -1000, -1000).
        float[] logits = {2, 2, 2, 1000, 0, 0};
        int[] labels = {1, 0};
        float[] logProbs = new float[6];
        double loss = SoftmaxCrossEntropyRef.forward(2, 3, logits, 0, labels, logProbs, 0);
        float third = (float) -Math.log(3);
        assertArrayEquals(new float[] {third, third, third, 0, -1000, -1000}, logProbs, 1e-6f);
        assertEquals((Math.log(3) + 0) / 2, loss, 1e-12);

        float[] dlogits = {9, 9, 9, 9, 9, 9};
        SoftmaxCrossEntropyRef.backward(2, 3, logProbs, 0, labels, 2f, dlogits, 0);
        // scale 2, N 2: dlogits = softmax - onehot.
        assertArrayEquals(new float[] {1f / 3, 1f / 3 - 1, 1f / 3, 0, 0, 0}, dlogits, 1e-6f);
    }

    @Test
    void twoClassCaseMatchesTheClosedForm() {
        // logits (0, ln 3): softmax (1/4, 3/4); label 1: loss = -ln(3/4).
        float[] logits = {0, (float) Math.log(3)};
        float[] logProbs = new float[2];
        double loss = SoftmaxCrossEntropyRef.forward(1, 2, logits, 0, new int[] {1}, logProbs, 0);
        assertEquals(-Math.log(0.75), loss, 1e-7);
        float[] d = new float[2];
        SoftmaxCrossEntropyRef.backward(1, 2, logProbs, 0, new int[] {1}, 1f, d, 0);
        assertArrayEquals(new float[] {0.25f, -0.25f}, d, 1e-7f);
    }

    @Test
    void rejectsLabelsOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropyRef.forward(1, 2, new float[2], 0, new int[] {2}, new float[2], 0));
    }
}
