package org.rankfold.engine.train;

import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;

/**
 * The settings of one training run and the one place a {@link Trainer} is built from them: SGD with momentum and
 * weight decay (PyTorch semantics), a per-epoch learning rate that is cosine-annealed from {@code lr} to 0 over
 * the run's epochs (Loshchilov and Hutter 2017) or constant, the NaN/Inf guard on, and an optional extra loss
 * (orthogonal regularization). {@code rankfold train}, every training phase of the compression pipeline and
 * {@code decompose --finetune} build their trainers here, so they cannot drift apart.
 *
 * @param epochs     total epochs of the run (a resumed run counts the ones already done)
 * @param cosine     true: cosine annealing to 0; false: constant learning rate
 * @param extraLoss  added to the cross-entropy, or null
 */
public record TrainingRun(int epochs, double lr, double momentum, double weightDecay, boolean cosine,
                          ExtraLoss extraLoss) {

    public TrainingRun {
        if (epochs < 0 || !(lr >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("a training run needs epochs >= 0, lr >= 0, momentum in [0, 1) and weight"
                    + " decay >= 0, got " + epochs + ", " + lr + ", " + momentum + ", " + weightDecay);
        }
    }

    /** Cosine-annealed SGD without an extra loss. */
    public static TrainingRun cosine(int epochs, double lr, double momentum, double weightDecay) {
        return new TrainingRun(epochs, lr, momentum, weightDecay, true, null);
    }

    /** The same run with {@code extra} added to the loss (null: none). */
    public TrainingRun withExtraLoss(ExtraLoss extra) {
        return new TrainingRun(epochs, lr, momentum, weightDecay, cosine, extra);
    }

    /** The per-epoch learning rate: cosine from lr to 0 over the run's epochs (at least 1), or constant. */
    public LrSchedule schedule() {
        return cosine ? LrSchedule.cosine(lr, Math.max(1, epochs), 0) : LrSchedule.constant(lr);
    }

    /**
     * A trainer of {@code model} (its parameters as they are now) with a fresh optimizer; a resumed run restores the
     * optimizer's state into {@link Trainer#optimizer()} and the training state with {@link Trainer#restore}.
     *
     * @param test the evaluation loader, or null to skip evaluation
     */
    public Trainer trainer(Module model, DataLoader train, DataLoader test) {
        Sgd sgd = Sgd.momentum(model.parameters(), lr, momentum, weightDecay);
        return new Trainer(model, sgd, schedule(), train, test, epochs, true, extraLoss);
    }
}
