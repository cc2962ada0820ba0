/**
 * The Rankfold engine: float32 tensors with reverse-mode autograd, layers, losses, optimizers,
 * orthogonal regularizers, params/MACs accounting and the model zoo. All compute goes through
 * {@link org.rankfold.kernels.Backend} ({@code Backends.current()}); nothing here knows about SIMD.
 *
 * <ul>
 * <li>{@code tensor}: {@code Tensor}, the autograd tape ({@code Autograd}, {@code Backward}) and {@code GradMode}.</li>
 * <li>{@code ops}: op families with forward and backward side by side (elementwise, matmul, reductions,
 * views, cross-entropy, convolution, pooling, batch norm, dropout).</li>
 * <li>{@code nn}: {@code Module} and the layers, initialization, the non-finite guard.</li>
 * <li>{@code optim}: SGD, Adam, learning-rate schedules.</li>
 * <li>{@code regularize}: SO, DSO, SRIP (DESIGN.md 2.2).</li>
 * <li>{@code accounting}: params and MACs per layer (DESIGN.md 2.5).</li>
 * <li>{@code zoo}: fashionnet, lenet5, vgg11/16, resnet20/32/56.</li>
 * </ul>
 *
 * <p>Memory: scratch buffers (im2col columns, batch-norm backward temporaries) come from per-layer
 * {@code Workspace}s and are allocated once; intermediate gradients are recycled between backwards
 * ({@code GradPool}). What a training step still allocates: every op's forward output (define-by-run
 * graphs own their activations), batch norm's normalized input, max-pool argmax indices and small
 * per-channel arrays: measured 82 MB per step of fashionnet at batch 64 (1.3 MB per image; 143 MB before
 * gradient recycling). Recycling activations too would need an arena reset at step boundaries by the
 * trainer.
 */
package org.rankfold.engine;
