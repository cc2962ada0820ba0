package org.rankfold.kernels;

/**
 * A convolution weight in the form a backend's GEMM reads it, made once by
 * {@link Backend#packConvWeights} for calls that reuse the same, unchanging weight (an inference plan's
 * stages). Opaque to callers; a backend ignores a handle it did not make or that was made of another weight.
 */
public interface PackedConvWeights {
}
