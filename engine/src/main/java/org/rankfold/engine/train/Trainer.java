package org.rankfold.engine.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.NonFiniteException;
import org.rankfold.engine.nn.NonFiniteGuard;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Optimizer;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/**
 * Epochs of mini-batch training (docs/architecture.md, a training step): for each batch of the
 * training loader, forward in training mode, loss = cross-entropy (+ the optional {@link ExtraLoss}),
 * backward, optimizer step; after each epoch an evaluation on the test loader (if any) and the
 * listeners. The learning rate of epoch e (from 0) is {@code schedule.at(e)}.
 *
 * <p>Determinism: given the same initial weights, loaders, optimizer and thread count, the weights after
 * each epoch are bit-identical, and {@link #restore} + {@link #fit()} continue a run exactly where a
 * checkpoint left it (the loaders are pure functions of epoch and batch index; the optimizer's state is
 * restored by the checkpoint code).
 *
 * <p>With the NaN/Inf guard on, every layer's output and output gradient and every parameter gradient is
 * scanned, and the first non-finite value stops training with a {@link TrainingStoppedException} naming
 * the layer.
 *
 * <p>With a {@link ComputeDevice} installed ({@link ComputeDevices}), the steps run in a {@link DeviceSession}
 * opened for the whole {@link #fit()}: the model stays on the device, the host model and optimizer are
 * synced after each epoch's training batches (before evaluation and the listeners), and the guard checks
 * the loss of each step only (layer outputs and gradients are not scanned on the device).
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final DataLoader train;
    private final DataLoader test;
    private final int epochs;
    private final boolean guard;
    private final ExtraLoss extraLoss;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private TrainingState state = TrainingState.initial();

    /**
     * @param test      the evaluation loader, or null to skip evaluation
     * @param epochs    total epochs of the run (a resumed run counts the ones already done)
     * @param guard     scan for NaN/Inf and stop naming the layer
     * @param extraLoss added to the loss, or null
     */
    public Trainer(Module model, Optimizer optimizer, LrSchedule schedule, DataLoader train, DataLoader test, int epochs,
                   boolean guard, ExtraLoss extraLoss) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.train = train;
        this.test = test;
        this.epochs = epochs;
        this.guard = guard;
        this.extraLoss = extraLoss;
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public Module model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public DataLoader trainLoader() {
        return train;
    }

    public int epochs() {
        return epochs;
    }

    public TrainingState state() {
        return state;
    }

    /** Continues from {@code resumed} (weights and optimizer state must already be restored). */
    public void restore(TrainingState resumed) {
        if (resumed.epochsDone() > epochs) {
            throw new IllegalArgumentException("the checkpoint has " + resumed.epochsDone() + " epochs done, more than the "
                    + epochs + " requested");
        }
        this.state = resumed;
    }

    /** Runs the remaining epochs; returns the whole history (including epochs done before a resume). */
    public List<EpochResult> fit() throws IOException {
        for (TrainingListener l : listeners) {
            l.onTrainStart(this, state);
        }
        if (guard) {
            NonFiniteGuard.attach(model);
        }
        ComputeDevice device = ComputeDevices.current();
        try (DeviceSession session = device == null || state.epochsDone() >= epochs ? null : device.open(model, optimizer)) {
            for (int e = state.epochsDone(); e < epochs; e++) {
                EpochResult r = runEpoch(e, session);
                List<EpochResult> history = new ArrayList<>(state.history());
                history.add(r);
                state = new TrainingState(e + 1, state.step(), history);
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(this, r, state);
                }
            }
        } finally {
            if (guard) {
                NonFiniteGuard.detach(model);
            }
        }
        for (TrainingListener l : listeners) {
            l.onTrainEnd(this, state);
        }
        return state.history();
    }

    /** One epoch; with a device session the steps run there and the host model is synced before evaluation. */
    private EpochResult runEpoch(int e, DeviceSession session) {
        long start = System.nanoTime();
        double lr = schedule.at(e);
        optimizer.setLearningRate(lr);
        model.train(true);
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        long step = state.step();
        int batches = train.batchesPerEpoch();
        try (DataLoader.Epoch it = train.epoch(e)) {
            for (Batch b : it) {
                int batchNo = b.index() + 1;
                if (session != null) {
                    StepResult r = session.trainStep(b, extraLoss, e, step);
                    if (guard && !Double.isFinite(r.loss())) {
                        throw new TrainingStoppedException(e + 1, batchNo, "the loss is " + r.loss());
                    }
                    step++;
                    lossSum += r.loss() * b.size();
                    correct += r.correct();
                    images += b.size();
                    train.recycle(b);
                    report(e, batchNo, batches, images, lossSum, correct, start);
                    continue;
                }
                optimizer.zeroGrad();
                Tensor x = Tensor.wrap(b.images(), b.size(), b.channels(), b.height(), b.width());
                float ce;
                // the step's activations live in the arena: everything read from them is read before close
                try (StepArena.Scope _ = StepArena.open()) {
                    Tensor logits = model.forward(x);
                    Tensor loss = logits.crossEntropy(b.labels());
                    ce = loss.item();
                    correct += Accuracy.correct(logits.data(), b.labels());
                    if (extraLoss != null) {
                        Tensor extra = extraLoss.term(model, e, step);
                        if (extra != null) {
                            loss = loss.add(extra.reshape());
                        }
                    }
                    if (guard && !Float.isFinite(loss.item())) {
                        throw new TrainingStoppedException(e + 1, batchNo, "the loss is " + loss.item());
                    }
                    loss.backward();
                    if (guard) {
                        NonFiniteGuard.checkParameterGradients(model);
                    }
                } catch (NonFiniteException bad) {
                    throw new TrainingStoppedException(e + 1, batchNo, bad);
                }
                optimizer.step();
                step++;
                lossSum += (double) ce * b.size();
                images += b.size();
                train.recycle(b); // the step's graph is gone: the loader may reuse the batch arrays
                report(e, batchNo, batches, images, lossSum, correct, start);
            }
        }
        if (session != null) {
            session.syncToHost(); // evaluation, listeners and checkpoints read the host model
        }
        state = new TrainingState(state.epochsDone(), step, state.history());
        EvalResult t = test == null ? new EvalResult(Double.NaN, Double.NaN, 0) : evaluate(e);
        double secs = (System.nanoTime() - start) / 1e9;
        return new EpochResult(e + 1, lossSum / images, (double) correct / images, t.loss(), t.accuracy(), lr, secs);
    }

    /** The test pass of epoch {@code e} (from 0); a non-finite value met there stops training naming the test batch. */
    private EvalResult evaluate(int e) {
        int[] batchesDone = {0};
        try {
            return Evaluator.evaluate(model, test, e + 1, epochs, p -> {
                batchesDone[0] = p.batch();
                listeners.forEach(l -> l.onBatch(p));
            });
        } catch (NonFiniteException bad) {
            throw TrainingStoppedException.inEvaluation(e + 1, batchesDone[0] + 1, bad);
        }
    }

    private void report(int e, int batchNo, int batches, long images, double lossSum, long correct, long start) {
        double secs = (System.nanoTime() - start) / 1e9;
        BatchProgress p = new BatchProgress(BatchProgress.Phase.TRAIN, e + 1, epochs, batchNo, batches, images,
                lossSum / images, (double) correct / images, secs > 0 ? images / secs : 0, secs);
        for (TrainingListener l : listeners) {
            l.onBatch(p);
        }
    }
}
