package org.rankfold.kernels.ref;

/**
 * Scalar SGD step straight from PyTorch's documented {@code torch.optim.SGD} algorithm, in float:
 * {@code d = g + weightDecay*w}; with momentum {@code buf = firstStep ? d : momentum*buf + (1-dampening)*d},
 * {@code d = nesterov ? d + momentum*buf : buf}; then {@code w = w - lr*d}. The oracle for the device
 * optimizer kernels.
 */
public final class SgdRef {
    private SgdRef() {
    }

    /** One step over {@code len} parameters; w and buf are modified (buf unused when momentum is 0). */
    public static void step(int len, float[] w, int wOffset, float[] g, int gOffset, float[] buf, int bufOffset,
                            float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                            boolean firstStep) {
        for (int i = 0; i < len; i++) {
            float wi = w[wOffset + i];
            float d = g[gOffset + i];
            if (weightDecay != 0f) {
                d = d + weightDecay * wi;
            }
            if (momentum != 0f) {
                float b = firstStep ? d : momentum * buf[bufOffset + i] + (1f - dampening) * d;
                buf[bufOffset + i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            w[wOffset + i] = wi - lr * d;
        }
    }
}
