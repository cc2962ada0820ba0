package org.rankfold.kernels.opencl;

/**
 * The SGD update on device buffers with {@code sgd.cl}, PyTorch's {@code torch.optim.SGD} semantics:
 * {@code d = g + weightDecay*w}; with momentum {@code buf = firstStep ? d : momentum*buf + (1-dampening)*d}
 * and {@code d = nesterov ? d + momentum*buf : buf}; then {@code w -= lr*d}. w and buf are modified.
 */
public final class ClSgd {
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClSgd(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /** One step over {@code len} parameters; buf may be null when momentum is 0. */
    public void step(long len, DeviceBuffer w, long wOffset, DeviceBuffer g, long gOffset, DeviceBuffer buf,
                     long bufOffset, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                     boolean firstStep) {
        Checks.sizes("sgd length", len);
        Checks.range("sgd w", w, wOffset, len);
        Checks.range("sgd g", g, gOffset, len);
        if (momentum != 0f) {
            Checks.range("sgd momentum buffer", buf, bufOffset, len);
        } else if (nesterov) {
            throw new IllegalArgumentException("sgd: nesterov needs momentum > 0");
        }
        launcher.launch1d(programs.kernel("sgd", "", "sgd_momentum"), len, len, w, wOffset, g, gOffset,
                buf, bufOffset, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, firstStep ? 1 : 0);
    }
}
