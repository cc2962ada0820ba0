package org.rankfold.kernels.ref;

/**
 * Scalar element-wise operations on {@code len} consecutive floats. Outputs may alias inputs at the
 * same offset (in-place use).
 */
public final class ElementwiseRef {
    private ElementwiseRef() {
    }

    /** {@code y[i] += x[i]}; y is modified. */
    public static void addInPlace(int len, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            y[yOffset + i] += x[xOffset + i];
        }
    }

    /** {@code y[i] += alpha * x[i]}; y is modified. */
    public static void axpy(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    /** {@code y[i] = alpha * x[i]}; y is overwritten. */
    public static void scale(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            y[yOffset + i] = alpha * x[xOffset + i];
        }
    }

    /** {@code y[i] = max(0, x[i])} (NaN maps to 0); y is overwritten. */
    public static void relu(int len, float[] x, int xOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            float v = x[xOffset + i];
            y[yOffset + i] = v > 0f ? v : 0f;
        }
    }

    /** {@code y[i] = max(0, a[i] + b[i])} (a residual add and its ReLU); y is overwritten. */
    public static void addRelu(int len, float[] a, int aOffset, float[] b, int bOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            float v = a[aOffset + i] + b[bOffset + i];
            y[yOffset + i] = v > 0f ? v : 0f;
        }
    }

    /**
     * {@code dx[i] += x[i] > 0 ? dy[i] : 0}, x being the ReLU's input; the gradient at exactly 0 is 0
     * (PyTorch's convention). dx is accumulated into.
     */
    public static void reluBackward(int len, float[] x, int xOffset, float[] dy, int dyOffset,
                                    float[] dx, int dxOffset) {
        for (int i = 0; i < len; i++) {
            if (x[xOffset + i] > 0f) {
                dx[dxOffset + i] += dy[dyOffset + i];
            }
        }
    }
}
