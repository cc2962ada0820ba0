package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.io.StringWriter;

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
    void liveLineNamesPhaseEpochBatchLossAccuracyRateAndEta() {
        BatchProgress p = new BatchProgress(BatchProgress.Phase.TRAIN, 2, 3, 5, 10, 320, 0.4321, 0.875, 321.0, 10.0);
        assertEquals("[full/train] train epoch 2/3  batch 5/10  loss 0.4321  acc 87.50%  321 img/s  ETA 10s",
                CompressProgress.text("full/train", p));
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndWipedBeforePlainLines() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), true);
        progress.batch("baseline", last());
        progress.epochFinished("baseline", new EpochResult(2, 0.43, 0.875, 0.5, 0.86, 0.05, 3.0));
        String out = s.toString();
        assertTrue(out.startsWith("\r[baseline] train epoch 2/3  batch 10/10"), out);
        assertTrue(out.contains("\r  baseline epoch 2: loss"), "live line wiped before the epoch line: " + out);
    }

    @Test
    void elsewhereOnlyPlainLines() {
        StringWriter s = new StringWriter();
        CompressProgress progress = new CompressProgress(new PrintWriter(s, true), false);
        progress.batch("baseline", last());
        progress.epochFinished("baseline", new EpochResult(2, 0.43, 0.875, 0.5, 0.86, 0.05, 3.0));
        assertFalse(s.toString().contains("\r"), s.toString());
        assertTrue(s.toString().startsWith("  baseline epoch 2: loss 0.4300"), s.toString());
    }
}
