package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Synthetic;
import org.rankfold.engine.train.Trainer;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bit-exact resume: 3 epochs straight versus 1 epoch, checkpoint, load into a fresh model and optimizer,
 * 2 more epochs. Weights, BN running statistics, momentum buffers and the per-epoch metrics must be
 * identical bit for bit (same seed, same thread count, prefetching on).
 */
class ResumeTest extends SeededTest {
    private static final InputShape TINY = new InputShape(1, Synthetic.SIZE, Synthetic.SIZE, Synthetic.CLASSES);
    private static final int EPOCHS = 3;
    private static final LrSchedule SCHEDULE = LrSchedule.cosine(0.05, EPOCHS, 0);

    private static Trainer trainer(Module model, Sgd sgd, DataLoader train, DataLoader test) {
        return new Trainer(model, sgd, SCHEDULE, train, test, EPOCHS, true, null);
    }

    @Test
    void resumingFromACheckpointIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Dataset train = Synthetic.dataset("train", 150, SEED);
        Dataset test = Synthetic.dataset("test", 40, SEED + 1);
        try (DataLoader tl = Synthetic.trainLoader(train, 32, 9); DataLoader el = Synthetic.testLoader(test, 16)) {
            Module straight = Synthetic.model(SEED);
            Sgd straightSgd = Sgd.momentum(straight.parameters(), 0.05, 0.9, 5e-4);
            List<EpochResult> expected = trainer(straight, straightSgd, tl, el).fit();

            Module first = Synthetic.model(SEED);
            Sgd firstSgd = Sgd.momentum(first.parameters(), 0.05, 0.9, 5e-4);
            Trainer partial = new Trainer(first, firstSgd, SCHEDULE, tl, el, 1, true, null);
            partial.addListener(CheckpointListener.latest(dir.resolve("last"), "tiny", TINY, null));
            partial.fit();

            Checkpoint c = CheckpointReader.load(dir.resolve("last"));
            Module resumed = c.model();
            Sgd resumedSgd = Sgd.momentum(resumed.parameters(), 0.05, 0.9, 5e-4);
            OptimizerState.restore(resumedSgd, resumed, c.optimizerType(), c.optimizerTensors(), dir);
            Trainer rest = trainer(resumed, resumedSgd, tl, el);
            rest.restore(c.training());
            List<EpochResult> got = rest.fit();

            assertEquals(EPOCHS, got.size());
            assertEquals(expected.get(0).trainLoss(), got.get(0).trainLoss());
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals(expected.get(e).trainLoss(), got.get(e).trainLoss(), "epoch " + (e + 1));
                assertEquals(expected.get(e).testAccuracy(), got.get(e).testAccuracy(), "epoch " + (e + 1));
                assertEquals(expected.get(e).learningRate(), got.get(e).learningRate(), "epoch " + (e + 1));
            }
            assertEquals(straight.namedParameters().keySet(), resumed.namedParameters().keySet());
            straight.namedParameters().forEach((k, p) -> {
                assertArrayEquals(p.data(), resumed.namedParameters().get(k).data(), k);
                assertArrayEquals(straightSgd.momentumBuffer(p), resumedSgd.momentumBuffer(resumed.namedParameters().get(k)), k);
            });
            straight.namedBuffers().forEach((k, b) -> assertArrayEquals(b.data(), resumed.namedBuffers().get(k).data(), k));
            assertEquals(rest.state().step(), 3 * 5);
        }
    }
}
