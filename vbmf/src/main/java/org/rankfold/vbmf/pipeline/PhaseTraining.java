package org.rankfold.vbmf.pipeline;

import java.io.IOException;

import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingState;

/**
 * One training phase of the pipeline: SGD with momentum and weight decay (PyTorch semantics), a cosine
 * schedule from {@code lr} to 0 over the phase's epochs (Loshchilov and Hutter 2017), the engine's
 * {@link Trainer} with its NaN/Inf guard, an optional extra loss (orthogonal regularization), every epoch
 * appended to the run's {@code metrics.csv} under the phase's name.
 */
final class PhaseTraining {
    private PhaseTraining() {
    }

    static TrainingState train(Module model, String phase, int epochs, double lr, CompressionConfig config,
                               DataLoader train, DataLoader test, ExtraLoss extra, RunDirectory run,
                               PipelineListener listener) throws IOException {
        run.clearMetrics(phase);
        if (epochs == 0) {
            return TrainingState.initial();
        }
        Sgd sgd = Sgd.momentum(model.parameters(), lr, config.momentum(), config.weightDecay());
        Trainer trainer = new Trainer(model, sgd, LrSchedule.cosine(lr, epochs, 0), train, test, epochs, true, extra);
        trainer.addListener(new TrainingListener() {
            @Override
            public void onBatch(BatchProgress progress) {
                listener.batch(phase, progress);
            }

            @Override
            public void onEpochEnd(Trainer t, EpochResult result, TrainingState state) throws IOException {
                run.appendMetrics(phase, result);
                listener.epochFinished(phase, result);
            }
        });
        trainer.fit();
        return trainer.state();
    }
}
