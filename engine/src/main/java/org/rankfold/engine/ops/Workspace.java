package org.rankfold.engine.ops;

/**
 * A reusable scratch buffer that only grows: the convolution keeps one per thread for its im2col chunk
 * (and one for the transposed output/gradient rows), so that scratch is allocated once, not every step
 * (docs/architecture.md, memory: a steady-state step allocates no large scratch arrays). Contents are undefined between
 * uses; one op uses it at a time (autograd is single-threaded).
 */
public final class Workspace {
    private float[] buffer = new float[0];

    /** A buffer of at least {@code size} floats (contents undefined). */
    public float[] floats(int size) {
        if (buffer.length < size) {
            buffer = new float[size];
        }
        return buffer;
    }

    /** Floats currently held (for memory reports). */
    public int capacity() {
        return buffer.length;
    }
}
