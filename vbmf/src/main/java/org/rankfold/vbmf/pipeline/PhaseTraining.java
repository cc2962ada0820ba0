package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointListener;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.OptimizerState;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingRun;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.engine.train.TrainingStoppedException;
import org.rankfold.kernels.Backends;

/**
 * One training phase of the pipeline: the engine's {@link TrainingRun} (SGD with momentum and weight decay, a
 * cosine schedule from the phase's learning rate to 0 over its epochs, the NaN/Inf guard, an optional
 * orthogonal regularizer), every epoch appended to the run's {@code metrics.csv} and {@code orthogonality.csv}
 * under the phase's name. A divergence stops the phase with a {@link PhaseDivergedException} naming the last
 * good checkpoint.
 *
 * <p>Epoch-level resume: after every epoch the model, the SGD momentum buffers and the training state are
 * saved to {@link RunDirectory#inProgress} (the engine's {@link CheckpointListener#latest}, the same files
 * {@code train --resume} continues from), after the metrics rows, so the checkpoint never holds an epoch the
 * logs lack. With {@code resume}, a phase that finds such a checkpoint loads its weights and optimizer state,
 * drops log rows of later epochs and continues with the next epoch: the data order and learning rate are
 * functions of the epoch index, so the phase ends bit-identical to an uninterrupted one at the same seed and
 * thread count. The pipeline deletes the checkpoint once the phase's result is recorded.
 */
final class PhaseTraining {
    private PhaseTraining() {
    }

    /**
     * Trains {@code model} (modified) for the phase.
     *
     * @param startedFrom the checkpoint the phase's model came from (null: a fresh model), named when the phase
     *                    diverges before its first epoch is saved
     * @param test        the per-epoch evaluation set, named by {@code evaluatedOn} ({@code validation} or {@code test})
     * @param resume continue from the phase's in-progress checkpoint when there is one; without it, such a
     *               checkpoint (of an abandoned run) is overwritten
     * @return the training state at the end, and the epoch the phase resumed after (0: started afresh)
     */
    static Outcome train(Module model, String phase, TrainingRun settings, CompressionConfig config, InputShape input,
                         DataLoader train, DataLoader test, String evaluatedOn, RunDirectory run, PipelineListener listener,
                         boolean resume, Path startedFrom) throws IOException {
        Path partial = run.inProgress(phase);
        int epochs = settings.epochs();
        Trainer trainer = settings.trainer(model, train, test);
        TrainingState start = TrainingState.initial();
        int threadsThen = 0;
        if (resume && epochs > 0 && CheckpointReader.isCheckpoint(partial)) {
            Checkpoint ck = CheckpointReader.load(partial);
            start = restore(ck, model, trainer, phase, epochs, partial);
            threadsThen = ck.config().path("threads").asInt(0);
        }
        run.keepMetrics(phase, start.epochsDone());
        OrthogonalityCsv.keep(run, phase, start.epochsDone());
        if (epochs == 0) {
            return new Outcome(start, 0, 0);
        }
        trainer.restore(start);
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                listener.batch(phase, progress);
            }

            @Override
            public void onEpochEnd(Trainer t, EpochResult result, TrainingState state) throws IOException {
                run.appendMetrics(phase, result, penalty(settings, model, result.epoch() - 1, state.step()), evaluatedOn);
                OrthogonalityCsv.append(run, phase, result.epoch(), model);
            }
        });
        // saved after the logs (see the class comment), before the display hears of the epoch
        ObjectNode ckConfig = config.toJson();
        ckConfig.put("phase", phase);
        ckConfig.put("threads", Backends.current().threads());
        trainer.addListener(CheckpointListener.latest(partial, config.model(), input, ckConfig));
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(Trainer t, EpochResult result, TrainingState state) {
                listener.epochFinished(phase, result, evaluatedOn);
            }
        });
        try {
            trainer.fit();
        } catch (TrainingStoppedException e) {
            throw new PhaseDivergedException(phase, e.getMessage(),
                    CheckpointReader.isCheckpoint(partial) ? partial : startedFrom, e);
        }
        return new Outcome(trainer.state(), start.epochsDone(), threadsThen);
    }

    /**
     * The weighted extra term (lambda(epoch) times the orthogonality penalty) of the model as it is at the end of
     * epoch {@code epoch} (0-based), the value the next step would add to the cross-entropy: its share of the loss,
     * logged per epoch in {@code metrics.csv}. NaN without an extra term.
     */
    private static double penalty(TrainingRun settings, Module model, int epoch, long step) {
        if (settings.extraLoss() == null) {
            return Double.NaN;
        }
        try (GradMode.Scope _ = GradMode.noGrad()) {
            Tensor t = settings.extraLoss().term(model, epoch, step);
            return t == null ? 0 : t.item();
        }
    }

    /** Loads weights, momentum buffers and state of the in-progress checkpoint into {@code model} and the trainer's optimizer. */
    private static TrainingState restore(Checkpoint ck, Module model, Trainer trainer, String phase, int epochs, Path partial)
            throws IOException {
        String saved = ck.config() == null ? "" : ck.config().path("phase").asText();
        if (!saved.equals(phase)) {
            throw new IllegalArgumentException(partial + ": state.json names phase '" + saved + "', expected '" + phase + "'");
        }
        if (ck.training().epochsDone() > epochs) {
            throw new IllegalArgumentException(partial + " holds " + ck.training().epochsDone() + " epochs, more than the phase's "
                    + epochs);
        }
        Weights.load(model, Weights.stateDict(ck.model(), ck.training().step()), partial);
        if (ck.optimizerType() != null) {
            OptimizerState.restore(trainer.optimizer(), model, ck.optimizerType(), ck.optimizerTensors(), partial);
        }
        return ck.training();
    }

    /** Deletes the phase's in-progress checkpoint (its result is recorded in progress.json by then). */
    static void discard(RunDirectory run, String phase) throws IOException {
        Path partial = run.inProgress(phase);
        if (Files.exists(partial)) {
            RunDirectory.deleteTree(partial);
        }
    }

    /**
     * @param state        the training state at the end of the phase
     * @param resumedAfter the epochs an earlier, interrupted run had completed (0: the phase started afresh)
     * @param threadsThen  the thread count of that run (0: not resumed); bit-identity needs the same count
     */
    record Outcome(TrainingState state, int resumedAfter, int threadsThen) {

        /** How the phase began, for its recorded result. */
        PhaseResult.Resumed resumed() {
            return new PhaseResult.Resumed(resumedAfter, threadsThen);
        }
    }
}
