package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.tools.train.Durations;
import org.rankfold.tools.train.ProgressLine;
import org.rankfold.vbmf.pipeline.PipelineListener;

/**
 * Progress of {@code rankfold compress}: each phase as it starts and ends (with its accuracy,
 * params/MACs when it has them), each training epoch, and the phases a resumed run skips. On a terminal
 * ({@code live}) a line redrawn in place also shows the running batch: phase, epoch, batch, loss,
 * accuracy, images/s and the ETA of the current epoch; elsewhere only the plain lines, so logs stay readable.
 */
public final class CompressProgress implements PipelineListener {
    private final PrintWriter out;
    private final boolean live;
    private long lastDraw;
    private int lastWidth;

    public CompressProgress(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void batch(String phase, BatchProgress p) {
        if (!live) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < ProgressLine.MIN_INTERVAL_MS && p.batch() < p.batches()) {
            return;
        }
        lastDraw = now;
        draw(text(phase, p));
    }

    /** The live line's text. */
    static String text(String phase, BatchProgress p) {
        return String.format(Locale.ROOT, "[%s] %s epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %s",
                phase, p.phase().label(), p.epoch(), p.epochs(), p.batch(), p.batches(), p.loss(), 100 * p.accuracy(),
                p.imagesPerSecond(), Durations.format(p.phaseEtaSeconds()));
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
    public void epochFinished(String phase, EpochResult e) {
        clearLive();
        out.println(String.format(Locale.ROOT, "  %s epoch %d: loss %.4f, train acc %.2f%%, test acc %.2f%%, lr %.4g, %s",
                phase, e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), 100 * e.testAccuracy(), e.learningRate(),
                Durations.format(e.seconds())));
        out.flush();
    }
}
