package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressProgressTest {

    private static BatchProgress last() {
        // batch 10 of 10 is always drawn (the throttle lets the last batch through)
        return new BatchProgress(BatchProgress.Phase.TRAIN, 2, 3, 10, 10, 640, 0.4321, 0.875, 321.0, 2.0);
    }

    @Test
    void liveLineNamesPhaseEpochBarBatchLossAccuracyRateElapsedAndLabelledEtas() {
        CompressProgress progress = new CompressProgress(new PrintWriter(new StringWriter()), true);
        progress.batch("full/train", new BatchProgress(BatchProgress.Phase.TRAIN, 2, 3, 2, 10, 128, 0.5, 0.8, 300.0, 4.0));
        BatchProgress p = new BatchProgress(BatchProgress.Phase.TRAIN, 2, 3, 5, 10, 320, 0.4321, 0.875, 321.0, 10.0);
        progress.batch("full/train", p);
        // 2 s per batch after the warm-up batches: 10 s left in the epoch; no finished epoch yet, so the next epoch
        // is projected from this one (10 + 10 = 20 s): 30 s left in the phase.
        assertEquals("[full/train] train epoch 2/3 [##########----------]  50%  batch 5/10  loss 0.4321  acc 87.50%"
                        + "  321 img/s  elapsed 10s  phase ETA 10s  full/train ETA 30s",
                progress.text("full/train", p, 10.0));
    }

    @Test
    void withoutATerminalALineEveryTenPercentOfAnEpoch() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), false);
        for (int b = 1; b <= 40; b++) {
            progress.batch("baseline", new BatchProgress(BatchProgress.Phase.TRAIN, 1, 2, b, 40, 32L * b, 0.5, 0.5, 100, b * 0.3));
        }
        List<String> lines = s.toString().lines().toList();
        assertEquals(9, lines.size(), s.toString()); // 10%..90%; the epoch's summary line stands for 100%
        assertTrue(lines.get(0).startsWith("[baseline] train epoch 1/2 [##------------------]  10%  batch 4/40"), lines.get(0));
        assertTrue(lines.get(8).contains(" 90%  batch 36/40"), lines.get(8));
        assertFalse(s.toString().contains("\r"));
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndWipedBeforePlainLines() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), true);
        progress.batch("baseline", last());
        progress.epochFinished("baseline", new EpochResult(2, 0.43, 0.875, 0.5, 0.86, 0.05, 3.0), "test");
        String out = s.toString();
        assertTrue(out.startsWith("\r[baseline] train epoch 2/3 [####################] 100%  batch 10/10"), out);
        assertTrue(out.contains("\r  baseline epoch 2: loss"), "live line wiped before the epoch line: " + out);
    }

    @Test
    void elsewhereOnlyPlainLines() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), false);
        progress.batch("baseline", last());
        progress.epochFinished("baseline", new EpochResult(2, 0.43, 0.875, 0.5, 0.86, 0.05, 3.0), "test");
        assertFalse(s.toString().contains("\r"), s.toString());
        assertTrue(s.toString().startsWith("  baseline epoch 2: loss 0.4300"), s.toString());
    }

    @Test
    void theEpochLineNamesTheSetItsAccuracyWasMeasuredOn() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), false);
        progress.epochFinished("baseline", new EpochResult(1, 0.43, 0.875, 0.5, 0.9012, 0.05, 3.0), "validation");
        progress.epochFinished("baseline", new EpochResult(2, 0.40, 0.880, 0.5, 0.9034, 0.05, 3.0), "test");
        List<String> lines = s.toString().lines().toList();
        assertTrue(lines.get(0).contains("train acc 87.50%, val acc 90.12%,"), lines.get(0));
        assertFalse(lines.get(0).contains("test acc"), lines.get(0));
        assertTrue(lines.get(1).contains("train acc 88.00%, test acc 90.34%,"), lines.get(1));
    }
}
