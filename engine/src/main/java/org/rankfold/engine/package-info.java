/**
 * The Rankfold engine: float32 tensors with reverse-mode autograd, layers, losses, optimizers, training and
 * evaluation, checkpoints, export, params/MACs accounting and the model zoo. All host compute goes through
 * {@link org.rankfold.kernels.Backend} ({@code Backends.current()}); nothing here knows about SIMD.
 * The data flow of a training step through these packages is in docs/architecture.md ("A training step").
 *
 * <ul>
 * <li>{@code tensor}: {@code Tensor}, the autograd graph ({@code Node}, {@code Backward}) and its replay
 * ({@code Autograd}), {@code GradMode}, and the step-memory recyclers {@code StepArena} and {@code GradPool}.</li>
 * <li>{@code ops}: op families with forward and backward side by side (elementwise, matmul, reductions,
 * views, cross-entropy, convolution, pooling, batch norm, dropout) and the per-thread {@code Workspace}.</li>
 * <li>{@code nn}: the sealed {@code Module} and its closed set of layers (including {@code FactorizedConv2d}
 * and the export form {@code FoldedBasicBlock}; docs/architecture.md, "The closed layer set"), initialization,
 * {@code Overparameterization} (convert to factorized form and fold back), the non-finite guard.</li>
 * <li>{@code optim}: SGD, Adam, learning-rate schedules.</li>
 * <li>{@code regularize}: the orthogonality penalties SO, DSO, SRIP ({@code Orthogonality}) and the one
 * regularization loss term over the weights they apply to ({@code OrthogonalRegularizer}; docs/method.md,
 * orthogonal regularization).</li>
 * <li>{@code train}: {@code TrainingRun} (the one place a trainer is built: SGD, schedule, guard, extra loss),
 * {@code Trainer}, {@code Evaluator}, listeners ({@code metrics.csv}), and the {@code ComputeDevice} hook
 * through which a device can run the steps.</li>
 * <li>{@code checkpoint}: checkpoint directories ({@code model.json}, weights and optimizer state as
 * safetensors, {@code state.json}; docs/file-formats.md), their bounded reader, and PyTorch state-dict import.</li>
 * <li>{@code export}: ONNX export and BatchNorm folding for inference.</li>
 * <li>{@code accounting}: params and MACs per layer from a traced forward pass (docs/method.md, params and MACs).</li>
 * <li>{@code zoo}: fashionnet, lenet5, vgg11/16, resnet20/32/56.</li>
 * <li>{@code device}: models kept resident on an OpenCL device for training and evaluation.</li>
 * </ul>
 *
 * <p>Memory: a training step allocates no large arrays once warm. Activations (every op's forward output,
 * batch norm's saved input, max-pool argmax indices, dropout masks) come from the
 * {@code tensor.StepArena} while the trainer, evaluator or benchmark holds a step scope open, and go back
 * to it at the step's end; intermediate gradients are recycled between backwards ({@code GradPool});
 * the convolution's im2col chunk buffers are per-thread scratch shared by all layers ({@code ops.Workspace}).
 * What remains per step is the graph's small objects: measured 0.03-0.2 MB per step of fashionnet and
 * ResNet-20 (guarded by {@code StepArenaTest}), against 82-449 MB of fresh arrays per step before.
 * Outside a step scope ops allocate as before, so code that keeps tensors is unaffected.
 */
package org.rankfold.engine;
