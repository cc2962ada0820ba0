package org.rankfold.engine.infer;

import org.rankfold.kernels.Backend;

/**
 * What one execution of a plan hands its steps: the batch size, the backend, each value's buffer, the
 * caller's images (B, C, H, W) at inputOffset and the caller's logits array (B, classes).
 */
record PlanRun(int batch, Backend backend, float[][] buffers, float[] input, int inputOffset, float[] logits) {

    float[] buffer(int value) {
        return buffers[value];
    }
}
