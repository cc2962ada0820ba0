/**
 * Device-resident training and evaluation on OpenCL (docs/architecture.md, OpenCL): a zoo {@code Module}
 * tree is compiled into a static list of device layers ({@link org.rankfold.engine.device.ModelCompiler});
 * parameters, gradients, momentum buffers, BatchNorm statistics and activations live in
 * {@link org.rankfold.kernels.opencl.DeviceBuffer}s for the whole run; only the batch goes in, and only the
 * per-image losses and logits come out (for the loss and the hits). An orthogonal-regularization term is
 * computed on the host each step and its gradient uploaded ({@link org.rankfold.engine.device.OpenClSession}). The host model is written at sync points (epoch end, before evaluation and
 * checkpoints), so the engine's {@code Trainer}, {@code Evaluator}, listeners and checkpoints work
 * unchanged through {@link org.rankfold.engine.train.ComputeDevice}.
 *
 * <p>Each layer keeps its input's buffer from forward for its backward, owns its output and input-gradient
 * buffers (sized for the largest batch seen) and overwrites them: a parameter belongs to exactly one
 * layer, so its gradient is overwritten each step too (no zeroing pass).
 */
package org.rankfold.engine.device;
