package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.SgdRef;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The SGD kernel over several steps vs {@link SgdRef} (PyTorch's documented {@code torch.optim.SGD}
 * algorithm), for plain, momentum, dampening, weight decay and Nesterov settings.
 * Bit-identical: both do the same float operations without FMA contraction.
 */
class ClSgdTest extends SeededTest {

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
                    SgdRef.step(len, w, 0, g, 0, buf, 0, lr, momentum, dampening, weightDecay, nesterov, step == 0);
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
