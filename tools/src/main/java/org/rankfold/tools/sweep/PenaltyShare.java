package org.rankfold.tools.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.tools.UserError;
import org.rankfold.tools.report.CsvTable;

/**
 * The orthogonality penalty's share of the training loss per epoch, over the seeds, from {@code metrics.csv}: a run
 * logs per epoch the cross-entropy ({@code train_loss}, the epoch's mean) and the weighted penalty at the epoch's end
 * ({@code penalty}); the share is {@code penalty / (train_loss + penalty)}. It shows whether the regularizer acts at
 * all at a given lambda (a share near 0 barely moves the weights).
 */
final class PenaltyShare {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The training phases of a variant that can carry the penalty, as named in its sweep.json entry. */
    private static final List<String> PHASES = List.of("train", "finetune");

    private PenaltyShare() {
    }

    /**
     * Per phase ({@code train}, {@code finetune}) of {@code variant} whose epochs carry a penalty in every cell of
     * {@code g}: {@code epochs}, and per epoch the share's {@code mean}, {@code std} (n - 1) and {@code values} (one
     * per seed); null when no phase of the variant carries one (plain, overparam, a run without the column).
     */
    static ObjectNode of(List<SweepCell> g, Path sweep, String variant) throws IOException {
        ObjectNode out = MAPPER.createObjectNode();
        for (String phase : PHASES) {
            List<double[]> perSeed = new ArrayList<>();
            for (SweepCell c : g) {
                double[] s = shares(c.dir(sweep).resolve("metrics.csv"), variant + "/" + phase);
                if (s == null) {
                    break;
                }
                perSeed.add(s);
            }
            if (perSeed.size() != g.size() || perSeed.stream().anyMatch(s -> s.length != perSeed.getFirst().length)) {
                continue;
            }
            ObjectNode p = out.putObject(phase);
            ArrayNode epochs = p.putArray("epochs");
            ArrayNode mean = p.putArray("mean");
            ArrayNode std = p.putArray("std");
            ArrayNode values = p.putArray("values");
            for (int e = 0; e < perSeed.getFirst().length; e++) {
                double[] v = new double[perSeed.size()];
                for (int s = 0; s < v.length; s++) {
                    v[s] = perSeed.get(s)[e];
                }
                double[] ms = PairedStatistics.meanStd(v);
                epochs.add(e + 1);
                mean.add(ms[0]);
                std.add(ms[1]);
                ArrayNode a = values.addArray();
                for (double x : v) {
                    a.add(x);
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The share per epoch of {@code phase} in one metrics.csv, in epoch order; null when it has no penalty there. */
    static double[] shares(Path csv, String phase) throws IOException {
        if (!Files.isRegularFile(csv)) {
            return null;
        }
        CsvTable t = CsvTable.read(csv, List.of("phase"));
        if (!t.has("train_loss") || !t.has("penalty") || !t.has("epoch")) {
            return null;
        }
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            if (!t.text(i, "phase").equals(phase)) {
                continue;
            }
            double p = t.number(i, "penalty");
            if (Double.isNaN(p)) {
                return null;
            }
            if (t.integer(i, "epoch") != r.size() + 1) {
                throw new UserError(csv + ": line " + t.lineNumber(i) + ": epoch " + t.text(i, "epoch") + " of " + phase
                        + ", expected " + (r.size() + 1));
            }
            r.add(p / (t.number(i, "train_loss") + p));
        }
        return r.isEmpty() ? null : r.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
