package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.tools.train.Durations;
import org.rankfold.tools.train.ProgressClock;
import org.rankfold.tools.train.ProgressFormat;
import org.rankfold.tools.train.ProgressLine;
import org.rankfold.vbmf.pipeline.PipelineListener;

/**
 * Progress of {@code rankfold compress}: each phase as it starts and ends (with its accuracy,
 * params/MACs when it has them), each training epoch, and the phases a resumed run skips. On a terminal
 * ({@code live}) a line redrawn in place also shows the running batch: phase, epoch, a bar with the percent,
 * batch, loss, accuracy, images/s, elapsed time, and the estimates for the rest of the epoch's phase and of
 * the compress phase ({@link ProgressClock}); elsewhere the same line once per 10% of a training epoch and the
 * plain lines.
 */
public final class CompressProgress implements PipelineListener {
    private final PrintWriter out;
    private final boolean live;
    private ProgressClock clock = new ProgressClock();
    private long lastDraw;
    private int lastWidth;

    public CompressProgress(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void batch(String phase, BatchProgress p) {
        double phaseEta = clock.phaseEta(p);
        if (!live) {
            if (p.phase() == BatchProgress.Phase.TRAIN && p.batch() < p.batches()
                    && ProgressFormat.crossesStep(p.batch(), p.batches(), ProgressLine.LOG_STEP_PERCENT)) {
                out.println(text(phase, p, phaseEta));
                out.flush();
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < ProgressLine.MIN_INTERVAL_MS && p.batch() < p.batches()) {
            return;
        }
        lastDraw = now;
        draw(text(phase, p, phaseEta));
    }

    /** The progress line's text: the compress phase, then the epoch's progress and the rest of the compress phase. */
    String text(String phase, BatchProgress p, double phaseEta) {
        return "[" + phase + "] " + ProgressFormat.line(p, phaseEta, phase, clock.runEta(p, phaseEta));
    }

    private void draw(String s) {
        String padded = s.length() < lastWidth ? s + " ".repeat(lastWidth - s.length()) : s;
        out.print("\r" + padded);
        out.flush();
        lastWidth = s.length();
    }

    /** Wipes the live line before a plain line is printed over it. */
    private void clearLive() {
        if (live && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }

    @Override
    public void phaseStarted(String phase) {
        clock = new ProgressClock(); // each phase has its own epochs and rate
        out.println("[" + phase + "] started");
        out.flush();
    }

    @Override
    public void phaseSkipped(String phase) {
        out.println("[" + phase + "] already done (resume)");
        out.flush();
    }

    @Override
    public void phaseFinished(String phase, JsonNode r) {
        clearLive();
        StringBuilder b = new StringBuilder("[" + phase + "] done in " + Durations.format(r.get("wall_seconds").asDouble()));
        if (r.has("accuracy")) {
            b.append(String.format(Locale.ROOT, ", accuracy %.2f%%", 100 * r.get("accuracy").asDouble()));
        }
        if (r.has("params")) {
            b.append(", params ").append(r.get("params").asLong()).append(", MACs ").append(r.get("macs").asLong());
        }
        if (r.has("planned_params_ratio")) {
            b.append(String.format(Locale.ROOT, ", planned ratios: params %.2fx, MACs %.2fx (w = %s)",
                    r.get("planned_params_ratio").asDouble(), r.get("planned_macs_ratio").asDouble(),
                    r.get("weakening").asText()));
        }
        out.println(b);
        out.flush();
    }

    @Override
    public void epochFinished(String phase, EpochResult e, String evaluatedOn) {
        clock.epochFinished(e.seconds(), Double.NaN);
        clearLive();
        // the per-epoch evaluation runs on the validation images when there is a split: say so, so that no one
        // reads a validation accuracy as the test accuracy the run reports once per final model
        String set = "validation".equals(evaluatedOn) ? "val" : "test";
        out.println(String.format(Locale.ROOT, "  %s epoch %d: loss %.4f, train acc %.2f%%, %s acc %.2f%%, lr %.4g, %s",
                phase, e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), set, 100 * e.testAccuracy(), e.learningRate(),
                Durations.format(e.seconds())));
        out.flush();
    }
}
