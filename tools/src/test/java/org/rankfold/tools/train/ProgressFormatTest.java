package org.rankfold.tools.train;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.train.BatchProgress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The formatting and estimates of progress lines, as units. */
class ProgressFormatTest {

    private static BatchProgress train(int epoch, int epochs, int batch, int batches, double elapsed) {
        return new BatchProgress(BatchProgress.Phase.TRAIN, epoch, epochs, batch, batches, 64L * batch, 0.25, 0.9, 640, elapsed);
    }

    @Test
    void barAndPercent() {
        assertEquals("[--------------------]", ProgressFormat.bar(0, 10));
        assertEquals("[##########----------]", ProgressFormat.bar(5, 10));
        assertEquals("[####################]", ProgressFormat.bar(10, 10));
        assertEquals("[#-------------------]", ProgressFormat.bar(1, 19));
        assertEquals("[--------------------]", ProgressFormat.bar(3, 0));
        assertEquals(33, ProgressFormat.percent(1, 3));
        assertEquals(100, ProgressFormat.percent(3, 3));
        assertEquals(0, ProgressFormat.percent(1, 0));
    }

    @Test
    void logStepsAreCrossedOncePerTenPercent() {
        int crossed = 0;
        for (int b = 1; b <= 7; b++) { // fewer batches than steps: every batch crosses at least one
            assertTrue(ProgressFormat.crossesStep(b, 7, 10));
        }
        for (int b = 1; b <= 1000; b++) {
            crossed += ProgressFormat.crossesStep(b, 1000, 10) ? 1 : 0;
        }
        assertEquals(10, crossed);
        assertFalse(ProgressFormat.crossesStep(99, 1000, 10));
        assertTrue(ProgressFormat.crossesStep(100, 1000, 10));
    }

    @Test
    void warmUpBatchesAreLeftOutOfTheRate() {
        ProgressClock c = new ProgressClock();
        // The first two batches take 5 s each (JIT, first touch), then 1 s each.
        assertTrue(Double.isNaN(c.phaseEta(train(1, 3, 1, 10, 5))), "no estimate during the warm-up");
        assertTrue(Double.isNaN(c.phaseEta(train(1, 3, 2, 10, 10))));
        assertEquals(7.0, c.phaseEta(train(1, 3, 3, 10, 11)), 1e-9, "1 s per batch, 7 batches left");
        assertEquals(5.0, c.phaseEta(train(1, 3, 5, 10, 13)), 1e-9);
        // No finished epoch: the others are projected from this one (13 + 5 = 18 s each).
        assertEquals(5.0 + 2 * 18.0, c.runEta(train(1, 3, 5, 10, 13), 5.0), 1e-9);
        c.epochFinished(20, 2);
        // Epoch 2, batch 5: a new phase warms up again; then the run's rest uses the finished epoch (20 s) and
        // adds this epoch's evaluation (2 s).
        c.phaseEta(train(2, 3, 2, 10, 2));
        double eta = c.phaseEta(train(2, 3, 5, 10, 5));
        assertEquals(5.0, eta, 1e-9);
        assertEquals(5.0 + 2.0 + 20.0, c.runEta(train(2, 3, 5, 10, 5), eta), 1e-9);
    }

    @Test
    void lineIsLabelled() {
        String s = ProgressFormat.line(train(2, 10, 25, 100, 30), 90, "run", 1000);
        assertEquals("train epoch 2/10 [#####---------------]  25%  batch 25/100  loss 0.2500  acc 90.00%  640 img/s"
                + "  elapsed 30s  phase ETA 1m30s  run ETA 16m40s", s);
        assertTrue(ProgressFormat.line(train(1, 1, 1, 10, 1), Double.NaN, "run", Double.NaN).endsWith("phase ETA --  run ETA --"));
    }
}
