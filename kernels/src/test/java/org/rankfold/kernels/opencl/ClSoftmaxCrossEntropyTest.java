package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.SoftmaxCrossEntropyRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax cross-entropy vs {@link SoftmaxCrossEntropyRef}, including logits in the hundreds (the
 * max-subtraction must keep exp finite). Tolerance: 4 float ulps of max(1, |value|) for log-probs and the
 * mean loss (the device may accumulate in float), 4 ulps absolute for gradients (they lie in [-1, 1]
 * times scale/N).
 */
class ClSoftmaxCrossEntropyTest extends SeededTest {

    @Test
    void forwardAndBackwardMatchReference() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        int[][] shapes = {{1, 1}, {5, 10}, {33, 7}, {128, 10}};
        for (int[] s : shapes) {
            int n = s[0];
            int classes = s[1];
            for (float magnitude : new float[] {3f, 300f}) {
                float[] logits = uniform(rng, n * classes);
                for (int i = 0; i < logits.length; i++) {
                    logits[i] *= magnitude;
                }
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = rng.nextInt(classes);
                }
                float[] logProbs = new float[n * classes];
                double loss = SoftmaxCrossEntropyRef.forward(n, classes, logits, 0, labels, logProbs, 0);
                float[] dlogits = new float[n * classes];
                SoftmaxCrossEntropyRef.backward(n, classes, logProbs, 0, labels, 0.5f, dlogits, 0);
                float[] gotLp = new float[n * classes];
                float[] gotD = new float[n * classes];
                double gotLoss;
                try (DeviceBuffer bz = rt.buffers().upload(logits, 0, logits.length);
                     DeviceBuffer bl = rt.buffers().upload(labels, 0, n);
                     DeviceBuffer blp = rt.buffers().allocate(n * classes);
                     DeviceBuffer rows = rt.buffers().allocate(n);
                     DeviceBuffer bd = rt.buffers().allocate(n * classes)) {
                    rt.softmaxCrossEntropy().forward(n, classes, bz, 0, bl, 0, blp, 0, rows, 0);
                    gotLoss = ClSoftmaxCrossEntropy.meanLoss(n, rows, 0);
                    blp.read(0, gotLp, 0, gotLp.length);
                    rt.softmaxCrossEntropy().backward(n, classes, blp, 0, bl, 0, 0.5f, bd, 0);
                    bd.read(0, gotD, 0, gotD.length);
                }
                String what = n + "x" + classes + " magnitude " + magnitude;
                double tol = 4 * Math.ulp(1f) * Math.max(1, 2 * magnitude);
                Arrays2.assertClose("logProbs " + what, logProbs, gotLp, 0, tol);
                assertEquals(loss, gotLoss, tol, "loss " + what);
                assertTrue(Double.isFinite(gotLoss), "finite loss " + what);
                Arrays2.assertClose("dlogits " + what, dlogits, gotD, 0, 4 * Math.ulp(1f));
            }
        }
    }

    @Test
    void labelOutsideTheClassesGivesNaNRowLoss() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        float[] rowLoss = new float[2];
        try (DeviceBuffer bz = rt.buffers().upload(new float[] {1, 2, 3, 4}, 0, 4);
             DeviceBuffer bl = rt.buffers().upload(new int[] {1, 2}, 0, 2);
             DeviceBuffer blp = rt.buffers().allocate(4);
             DeviceBuffer rows = rt.buffers().allocate(2)) {
            rt.softmaxCrossEntropy().forward(2, 2, bz, 0, bl, 0, blp, 0, rows, 0);
            rows.read(0, rowLoss, 0, 2);
        }
        assertTrue(Float.isFinite(rowLoss[0]) && Float.isNaN(rowLoss[1]), java.util.Arrays.toString(rowLoss));
    }
}
