package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The SGD kernel over several steps vs a scalar oracle written from PyTorch's documented
 * {@code torch.optim.SGD} algorithm, for plain, momentum, dampening, weight decay and Nesterov settings.
 * Bit-identical: both do the same float operations without FMA contraction.
 */
class ClSgdTest extends SeededTest {

    /** PyTorch's SGD step in float, straight from its documentation. w and buf are modified. */
    static void sgdOracle(float[] w, float[] g, float[] buf, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov, boolean firstStep) {
        for (int i = 0; i < w.length; i++) {
            float d = g[i];
            if (weightDecay != 0f) {
                d = d + weightDecay * w[i];
            }
            if (momentum != 0f) {
                float b = firstStep ? d : momentum * buf[i] + (1f - dampening) * d;
                buf[i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            w[i] = w[i] - lr * d;
        }
    }

    @Test
    void stepsMatchPyTorchAlgorithm() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        int len = 777;
        float[][] settings = {{0.1f, 0f, 0f, 0f, 0}, {0.05f, 0.9f, 0f, 0f, 0}, {0.05f, 0.9f, 0.1f, 5e-4f, 0},
                {0.01f, 0.9f, 0f, 1e-4f, 1}};
        for (float[] s : settings) {
            float lr = s[0];
            float momentum = s[1];
            float dampening = s[2];
            float weightDecay = s[3];
            boolean nesterov = s[4] != 0;
            float[] w = uniform(rng, len);
            float[] buf = new float[len];
            float[] gotW = new float[len];
            float[] gotBuf = new float[len];
            try (DeviceBuffer bw = rt.buffers().upload(w, 0, len);
                 DeviceBuffer bbuf = rt.buffers().allocate(len);
                 DeviceBuffer bg = rt.buffers().allocate(len)) {
                for (int step = 0; step < 4; step++) {
                    float[] g = uniform(rng, len);
                    sgdOracle(w, g, buf, lr, momentum, dampening, weightDecay, nesterov, step == 0);
                    bg.write(0, g, 0, len);
                    rt.sgd().step(len, bw, 0, bg, 0, momentum == 0f ? null : bbuf, 0, lr, momentum, dampening,
                            weightDecay, nesterov, step == 0);
                }
                bw.read(0, gotW, 0, len);
                bbuf.read(0, gotBuf, 0, len);
            }
            String what = "lr " + lr + " momentum " + momentum + " dampening " + dampening + " wd " + weightDecay
                    + " nesterov " + nesterov;
            assertArrayEquals(w, gotW, "weights, " + what);
            if (momentum != 0f) {
                assertArrayEquals(buf, gotBuf, "momentum buffer, " + what);
            }
        }
    }
}
