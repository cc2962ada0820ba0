package org.rankfold.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest extends SeededTest {

    private Trainer trainer(Sequential model, DataLoader train, DataLoader test, int epochs, double lr, ExtraLoss extra) {
        Sgd sgd = Sgd.momentum(model.parameters(), lr, 0.9, 5e-4);
        return new Trainer(model, sgd, LrSchedule.constant(lr), train, test, epochs, true, extra);
    }

    @Test
    void trainingReducesTheLossAndLearnsTheTask() throws IOException {
        Dataset train = Synthetic.dataset("train", 192, SEED);
        Dataset test = Synthetic.dataset("test", 96, SEED + 1);
        Sequential model = Synthetic.model(SEED);
        try (DataLoader tl = Synthetic.trainLoader(train, 32, 1); DataLoader el = Synthetic.testLoader(test, 64)) {
            EvalResult before = Evaluator.evaluate(model, el);
            List<BatchProgress> seen = new ArrayList<>();
            Trainer t = trainer(model, tl, el, 6, 0.05, null);
            t.addListener(new TrainingListener() {
                @Override
                public void onBatch(BatchProgress p) {
                    seen.add(p);
                }
            });
            List<EpochResult> h = t.fit();
            assertEquals(6, h.size());
            assertTrue(h.get(5).trainLoss() < 0.7 * h.get(0).trainLoss(), "train loss falls: " + h);
            assertTrue(h.get(5).testLoss() < before.loss(), "test loss falls: " + before + " -> " + h.get(5));
            assertTrue(h.get(5).testAccuracy() > 0.9, "learns the patch position: " + h.get(5));
            assertEquals(6 * (6 + 2), seen.size(), "6 train + 2 eval batches per epoch");
            assertEquals(36, t.state().step());
            assertTrue(model.isTraining(), "evaluation restores training mode");
        }
    }

    @Test
    void aNonFiniteValueInTheEvaluationPassStopsTrainingNamingEpochAndTestBatch() throws IOException {
        Dataset train = Synthetic.dataset("train", 64, SEED);
        Dataset test = Synthetic.dataset("test", 96, SEED + 1);
        Sequential model = Synthetic.model(SEED);
        try (DataLoader tl = Synthetic.trainLoader(train, 32, 1); DataLoader el = Synthetic.testLoader(test, 64)) {
            Trainer t = trainer(model, tl, el, 3, 0.05, null);
            t.addListener(new TrainingListener() {
                @Override
                public void onBatch(BatchProgress p) {
                    // after the last training step of epoch 2: weights no training step produced, seen only by evaluation
                    if (p.phase() == BatchProgress.Phase.TRAIN && p.epoch() == 2 && p.batch() == p.batches()) {
                        model.namedParameters().get("fc.weight").data()[0] = Float.NaN;
                    }
                }
            });
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class, t::fit);
            assertEquals(2, e.epoch());
            assertEquals(1, e.batch());
            assertTrue(e.getMessage().startsWith("training diverged in epoch 2 (its evaluation, test batch 1): "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("layer 'fc'"), e.getMessage());
        }
    }

    @Test
    void extraLossTermIsAddedBeforeBackward() throws IOException {
        Dataset train = Synthetic.dataset("train", 64, SEED);
        List<Long> steps = new ArrayList<>();
        // An L2 penalty on fc.weight alone shrinks it far below what training without it gives.
        ExtraLoss l2 = (m, epoch, step) -> {
            steps.add(step);
            Tensor w = m.namedParameters().get("fc.weight");
            return w.mul(w).sum().scale(0.5f);
        };
        float plain = fcNormAfterOneEpoch(train, null);
        float penalized = fcNormAfterOneEpoch(train, l2);
        assertEquals(List.of(0L, 1L, 2L, 3L), steps);
        assertTrue(penalized < 0.6f * plain, plain + " vs " + penalized);
    }

    private float fcNormAfterOneEpoch(Dataset train, ExtraLoss extra) throws IOException {
        Sequential model = Synthetic.model(SEED);
        try (DataLoader tl = Synthetic.trainLoader(train, 16, 1)) {
            trainer(model, tl, null, 1, 0.05, extra).fit();
        }
        return squaredNorm(model.namedParameters().get("fc.weight").data());
    }

    private static float squaredNorm(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x * x;
        }
        return s;
    }

    @Test
    void nanGuardStopsAndNamesTheLayer() {
        Dataset train = Synthetic.dataset("train", 64, SEED);
        Sequential model = Synthetic.model(SEED);
        ((Conv2d) model.children().get("conv1")).weight().data()[3] = Float.NaN;
        try (DataLoader tl = Synthetic.trainLoader(train, 16, 1)) {
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                    () -> trainer(model, tl, null, 1, 0.05, null).fit());
            assertEquals("conv1", e.layer());
            assertEquals(1, e.epoch());
            assertEquals(1, e.batch());
            assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("learning rate"), e.getMessage());
        }
    }

    @Test
    void divergenceFromAHugeLearningRateIsCaught() {
        Dataset train = Synthetic.dataset("train", 256, SEED);
        Sequential model = Synthetic.model(SEED);
        try (DataLoader tl = Synthetic.trainLoader(train, 16, 1)) {
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class,
                    () -> trainer(model, tl, null, 20, 1e30, null).fit());
            assertTrue(!e.layer().isEmpty(), e.getMessage());
        }
    }

    @Test
    void metricsCsvHasOneRowPerEpoch(@TempDir Path dir) throws IOException {
        Dataset train = Synthetic.dataset("train", 64, SEED);
        Path csv = dir.resolve("metrics.csv");
        try (DataLoader tl = Synthetic.trainLoader(train, 32, 1); DataLoader el = Synthetic.testLoader(train, 64)) {
            trainer(Synthetic.model(SEED), tl, el, 2, 0.05, null).addListener(new MetricsCsvListener(csv)).fit();
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals(MetricsCsvListener.HEADER, lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("2,"), lines.get(2));
        assertEquals(7, lines.get(1).split(",", -1).length);
    }
}
