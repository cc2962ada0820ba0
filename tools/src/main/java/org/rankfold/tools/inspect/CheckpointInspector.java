package org.rankfold.tools.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.inspect.FileReport;
import org.rankfold.datasets.inspect.TextTable;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.accounting.LayerCost;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.EpochResult;

/**
 * `rankfold inspect CHECKPOINT`: a checkpoint directory (or a run directory's best/ or checkpoint/) as a
 * report: model, input, training state, totals of params (weights + biases; BatchNorm affine parameters
 * separately) and MACs per image (FLOPs = 2 x MACs), and one row per costed layer (convolution,
 * factorized convolution, linear) with its weight shapes, output shape (docs/method.md, params and MACs).
 * The checkpoint is fully loaded, so a damaged file (checksum, format) fails with a one-line error; NaN or
 * infinite weights are loaded and reported as warnings, one per tensor.
 */
public final class CheckpointInspector {
    private CheckpointInspector() {
    }

    /** True when {@code dir} is a checkpoint directory or a run directory holding one. */
    public static boolean accepts(Path dir) {
        return CheckpointReader.isCheckpoint(dir) || CheckpointReader.isCheckpoint(dir.resolve("best"))
                || CheckpointReader.isCheckpoint(dir.resolve("checkpoint"));
    }

    public static FileReport inspect(Path path) throws IOException {
        Path dir = CheckpointReader.isCheckpoint(path) ? path
                : CheckpointReader.isCheckpoint(path.resolve("best")) ? path.resolve("best") : path.resolve("checkpoint");
        Checkpoint c = CheckpointReader.load(dir);
        InputShape in = c.input();
        CostReport cost;
        try {
            // model.json's sizes were bounded when it was read; layers that do not chain fail here
            cost = CostProfiler.profile(c.model(), in.chw());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MalformedFileException(dir.resolve("model.json").toString(), -1, "the architecture cannot run on its declared"
                    + " input " + in.channels() + "x" + in.height() + "x" + in.width() + ": " + e.getMessage());
        }
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        fact(facts, "model", c.modelName());
        fact(facts, "input", in.channels() + "x" + in.height() + "x" + in.width() + ", " + in.classes() + " classes");
        fact(facts, "epochs done", Integer.toString(c.training().epochsDone()));
        fact(facts, "steps", Long.toString(c.training().step()));
        if (!c.training().history().isEmpty()) {
            EpochResult last = c.training().history().getLast();
            if (!Double.isNaN(last.testAccuracy())) {
                fact(facts, "test accuracy", String.format(Locale.ROOT, "%.2f%% (epoch %d)", 100 * last.testAccuracy(), last.epoch()));
            }
        }
        fact(facts, "optimizer", c.optimizerType() == null ? "none saved" : c.optimizerType() + " (" + c.optimizerTensors().size()
                + " state tensors)");
        fact(facts, "params", String.format(Locale.ROOT, "%,d (+ %,d BatchNorm affine)", cost.parameters(), cost.batchNormParameters()));
        fact(facts, "MACs", String.format(Locale.ROOT, "%,d per image (FLOPs = 2 x MACs = %,d)", cost.macs(), cost.flops()));
        fact(facts, "checksums", "verified (SHA-256 of every file in state.json)");
        Map<String, Module> modules = c.model().namedModules();
        List<List<String>> rows = new ArrayList<>();
        for (LayerCost l : cost.layers()) {
            Module m = modules.get(l.name().equals("<model>") ? "" : l.name());
            rows.add(List.of(l.name(), l.type(), weights(m), dims(l.outputShape()), Long.toString(l.parameters()),
                    Long.toString(l.macs())));
        }
        TextTable table = new TextTable(List.of("layer", "type", "weights", "output", "params", "MACs"), rows);
        return new FileReport(dir.toString(), "rankfold checkpoint", facts, table, nonFinite(c.model()));
    }

    /** One warning per parameter or buffer holding NaN or infinite values (a diverged run's checkpoint loads, and says so). */
    public static List<String> nonFinite(Module model) {
        Map<String, Tensor> all = new java.util.LinkedHashMap<>(model.namedParameters());
        all.putAll(model.namedBuffers());
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            long nan = 0;
            long inf = 0;
            for (float v : e.getValue().data()) {
                nan += Float.isNaN(v) ? 1 : 0;
                inf += Float.isInfinite(v) ? 1 : 0;
            }
            if (nan + inf > 0) {
                warnings.add("'" + e.getKey() + "' holds " + nan + " NaN and " + inf + " infinite values");
            }
        }
        return warnings;
    }

    private static void fact(List<Map.Entry<String, String>> facts, String k, String v) {
        facts.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
    }

    /** "32x1x3x3" for a conv, "a 8x4x1x1, g ..., b ..." for the parameters of a factorized one (biases left out). */
    private static String weights(Module m) {
        if (m == null) {
            return "-";
        }
        Map<String, Tensor> p = m.namedParameters();
        return p.entrySet().stream().filter(e -> !e.getKey().endsWith("bias"))
                .map(e -> (e.getKey().equals("weight") ? "" : e.getKey().replace(".weight", "") + " ") + dims(e.getValue().shape()))
                .collect(Collectors.joining(", "));
    }

    private static String dims(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }
}
