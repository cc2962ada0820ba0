package org.rankfold.engine.infer;

/**
 * The per-image shape of an activation, (channels, height, width); a feature vector is (F, 1, 1).
 * In the plan every activation of a batch of B is stored channel-major, (C, B, H, W).
 */
record Shape(int channels, int height, int width) {

    /** Floats per image. */
    int size() {
        return channels * height * width;
    }

    /** Pixels per channel plane. */
    int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
