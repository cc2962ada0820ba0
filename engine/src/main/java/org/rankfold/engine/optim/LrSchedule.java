package org.rankfold.engine.optim;

/**
 * Learning rate as a function of the step (or epoch) index t = 0, 1, 2, ...; apply with
 * {@code optimizer.setLearningRate(schedule.at(t))} before step t.
 */
@FunctionalInterface
public interface LrSchedule {
    double at(int t);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        return t -> lr;
    }

    /** PyTorch's StepLR: {@code base * gamma^floor(t / stepSize)}. */
    static LrSchedule step(double base, int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("step size must be >= 1, got " + stepSize);
        }
        return t -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /**
     * Cosine annealing (Loshchilov and Hutter 2017, PyTorch's CosineAnnealingLR closed form):
     * {@code min + (base - min) * (1 + cos(pi * t / total)) / 2}, held at min after {@code total}.
     */
    static LrSchedule cosine(double base, int total, double min) {
        if (total < 1) {
            throw new IllegalArgumentException("cosine schedule length must be >= 1, got " + total);
        }
        return t -> {
            int c = Math.min(Math.max(t, 0), total);
            return min + (base - min) * (1 + Math.cos(Math.PI * c / total)) / 2;
        };
    }

    /**
     * Linear warm-up over the first {@code warmup} steps from {@code startFactor * after.at(0)} towards
     * {@code after.at(0)} (PyTorch's LinearLR: factor {@code startFactor + (1 - startFactor) * t / warmup}),
     * then {@code after} shifted by the warm-up ({@code after.at(t - warmup)}).
     */
    static LrSchedule warmup(int warmup, double startFactor, LrSchedule after) {
        if (warmup < 0 || !(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("warm-up needs steps >= 0 and a start factor in [0, 1]");
        }
        return t -> t < warmup ? after.at(0) * (startFactor + (1 - startFactor) * t / (double) warmup)
                : after.at(t - warmup);
    }
}
