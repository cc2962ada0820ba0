package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.tools.train.Durations;
import org.rankfold.vbmf.pipeline.PipelineListener;

/**
 * Plain progress lines of {@code rankfold compress}: each phase as it starts and ends (with its accuracy,
 * params/MACs when it has them), each training epoch, and the phases a resumed run skips.
 */
public final class CompressProgress implements PipelineListener {
    private final PrintWriter out;

    public CompressProgress(PrintWriter out) {
        this.out = out;
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
        out.println(String.format(Locale.ROOT, "  %s epoch %d: loss %.4f, train acc %.2f%%, test acc %.2f%%, lr %.4g, %s",
                phase, e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), 100 * e.testAccuracy(), e.learningRate(),
                Durations.format(e.seconds())));
        out.flush();
    }
}
