/**
 * Inference plans: a trained module tree compiled into a flat list of steps over float buffers, for
 * evaluation, benchmarks and prediction. No autograd bookkeeping; batch norm folded into the convolution
 * before it; bias, ReLU and the residual add applied by the GEMM as it stores its output (the kernels'
 * {@link org.rankfold.kernels.GemmEpilogue}); a max/avg pool that follows a convolution runs on each chunk's
 * output while it is in cache; a factorized (Tucker-2) convolution runs its three products tile by tile
 * (groups of whole images, or row tiles of one image with the halo its KxK window needs) so the
 * rank-sized intermediates never leave the cache. Activations are channel-major (C, B, H, W): a
 * convolution's GEMM output (OC, B*OH*OW) is the next activation as is, with no transpose between layers.
 * See docs/architecture.md.
 */
package org.rankfold.engine.infer;
