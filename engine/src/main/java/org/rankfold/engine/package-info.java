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
 * <p>Memory: a training step allocates no large arrays once warm. Activations (every op's forward output,
 * batch norm's normalized input, max-pool argmax indices, dropout masks) come from the
 * {@code tensor.StepArena} while the trainer, evaluator or benchmark holds a step scope open, and go back
 * to it at the step's end; intermediate gradients are recycled between backwards ({@code GradPool});
 * the convolution's im2col chunk buffers are per-thread scratch shared by all layers ({@code ops.Workspace}).
 * What remains per step is the graph's small objects: measured 0.03-0.2 MB per step of fashionnet and
 * ResNet-20 (guarded by {@code StepArenaTest}), against 82-449 MB of fresh arrays per step before.
 * Outside a step scope ops allocate as before, so code that keeps tensors is unaffected.
 */
package org.rankfold.engine;
