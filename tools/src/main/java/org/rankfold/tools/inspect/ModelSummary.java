package org.rankfold.tools.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.rankfold.datasets.inspect.FileReport;
import org.rankfold.datasets.inspect.TextTable;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.accounting.LayerCost;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.zoo.ModelZoo;

/**
 * A summary of a network before anything is trained, as torchinfo prints one: every convolution and linear
 * layer with its type, input and output shape (per image), parameters and multiply-accumulates, then the
 * totals (BatchNorm parameters apart) for the declared input.
 */
public final class ModelSummary {
    private ModelSummary() {
    }

    /** The input a zoo model is summarized at: 1x28x28 for the MNIST-sized nets, else 3x32x32; 10 classes. */
    public static InputShape zooInput(String name) {
        return name.equals("fashionnet") || name.equals("lenet5") ? new InputShape(1, 28, 28, 10) : new InputShape(3, 32, 32, 10);
    }

    /** The summary of zoo model {@code name} at {@link #zooInput}. */
    public static FileReport zoo(String name) {
        InputShape in = zooInput(name);
        return of(name, "zoo model", in.createZooModel(name, 1), in);
    }

    /** The summary of {@code model} taking {@code input}; {@code source} says where it came from. */
    public static FileReport of(String label, String source, Module model, InputShape input) {
        CostReport cost = CostProfiler.profile(model, input.chw());
        List<List<String>> rows = new ArrayList<>();
        for (LayerCost l : cost.layers()) {
            rows.add(List.of(l.name(), l.type(), Arrays.toString(l.inputShape()), Arrays.toString(l.outputShape()),
                    String.format(Locale.ROOT, "%,d", l.parameters()), String.format(Locale.ROOT, "%,d", l.macs())));
        }
        long bytes = 4 * (cost.parameters() + cost.batchNormParameters());
        return new FileReport(label, source + " (architecture summary)", List.of(
                Map.entry("input", input.channels() + "x" + input.height() + "x" + input.width() + ", " + input.classes() + " classes"),
                Map.entry("layers", cost.layers().size() + " convolution and linear layers"),
                Map.entry("params", String.format(Locale.ROOT, "%,d (+%,d BatchNorm), %.2f MB as float32", cost.parameters(),
                        cost.batchNormParameters(), bytes / 1e6)),
                Map.entry("MACs", String.format(Locale.ROOT, "%,d per image (%.2fM; FLOPs = 2 x MACs)", cost.macs(), cost.macs() / 1e6))),
                new TextTable(List.of("layer", "type", "input", "output", "params", "MACs"), rows), List.of());
    }

    /** True when {@code name} is a zoo model's name. */
    public static boolean isZooModel(String name) {
        return ModelZoo.names().contains(name);
    }
}
