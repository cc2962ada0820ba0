package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;

/**
 * The architecture part of {@code model.json}: a tree of layers, each node
 * {@code {"name", "type", hyper-parameters..., "parameters": {name: shape}, "children": [...]}}.
 * Containers ({@code Sequential}, {@code BasicBlock}) have children; every other node is a layer whose
 * "parameters" lists the shapes of all parameters below it (for {@code FactorizedConv2d}: "a.weight",
 * "g.weight", "b.weight", "b.bias"), so any zoo model and any model with factorized convolutions of
 * arbitrary ranks can be rebuilt and checked before a weight is loaded.
 *
 * <p>Hyper-parameters: Conv2d {@code in_channels, out_channels, kernel, stride, padding, dilation} (each a
 * [h, w] pair) {@code , bias}; FactorizedConv2d the same plus {@code rank_in, rank_out}; Linear
 * {@code in_features, out_features, bias}; BatchNorm2d {@code num_features, momentum, eps}; MaxPool2d /
 * AvgPool2d {@code kernel, stride, padding} (+ {@code count_include_pad}); Dropout {@code p}; ReLU,
 * Flatten, GlobalAvgPool none. A rebuilt Dropout draws its masks from seed 0 (its generator's state is not
 * saved).
 */
public final class ModelJson {
    private ModelJson() {
    }

    /** The node describing {@code module} under {@code name}. */
    public static ObjectNode describe(String name, Module module) {
        ObjectNode n = CheckpointJson.object();
        n.put("name", name);
        n.put("type", module.getClass().getSimpleName());
        switch (module) {
            case Sequential s -> children(n, s);
            case BasicBlock b -> children(n, b);
            case Conv2d c -> {
                n.put("in_channels", c.inChannels());
                n.put("out_channels", c.outChannels());
                spec(n, c.spec(), true);
                n.put("bias", c.bias() != null);
            }
            case FactorizedConv2d f -> {
                n.put("in_channels", f.factorA().inChannels());
                n.put("out_channels", f.factorB().outChannels());
                n.put("rank_in", f.rankIn());
                n.put("rank_out", f.rankOut());
                spec(n, f.core().spec(), true);
                n.put("bias", f.factorB().bias() != null);
            }
            case Linear l -> {
                n.put("in_features", l.weight().dim(1));
                n.put("out_features", l.weight().dim(0));
                n.put("bias", l.bias() != null);
            }
            case BatchNorm2d bn -> {
                n.put("num_features", bn.channels());
                n.put("momentum", bn.momentum());
                n.put("eps", bn.eps());
            }
            case MaxPool2d p -> spec(n, p.spec(), false);
            case AvgPool2d p -> {
                spec(n, p.spec(), false);
                n.put("count_include_pad", p.countIncludePad());
            }
            case Dropout d -> n.put("p", d.p());
            case ReLU r -> { }
            case Flatten f -> { }
            case GlobalAvgPool g -> { }
            case FoldedBasicBlock _ -> throw new IllegalArgumentException("cannot describe a module of type "
                    + module.getClass().getName() + " in model.json (a model with folded batch norms is for export only)");
        }
        if (!(module instanceof Sequential) && !(module instanceof BasicBlock)) {
            ObjectNode params = n.putObject("parameters");
            for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
                ArrayNode shape = params.putArray(e.getKey());
                for (int d : e.getValue().shape()) {
                    shape.add(d);
                }
            }
        }
        return n;
    }

    private static void children(ObjectNode n, Module m) {
        ArrayNode list = n.putArray("children");
        m.children().forEach((k, v) -> list.add(describe(k, v)));
    }

    private static void spec(ObjectNode n, ConvSpec s, boolean dilation) {
        n.putArray("kernel").add(s.kernelH()).add(s.kernelW());
        n.putArray("stride").add(s.strideH()).add(s.strideW());
        n.putArray("padding").add(s.padH()).add(s.padW());
        if (dilation) {
            n.putArray("dilation").add(s.dilationH()).add(s.dilationW());
        }
    }

    /**
     * Rebuilds the module of a node with fresh weights drawn from seed 0 (a checkpoint's weights replace them),
     * checking every parameter shape the node lists.
     */
    public static Module rebuild(JsonNode n, Path file, String where) throws MalformedFileException {
        return rebuild(n, file, where, new SplittableRandom(0));
    }

    /**
     * As {@link #rebuild(JsonNode, Path, String)}, every layer's initial weights drawn in file order from {@code rng}
     * (one generator for the whole tree, so that layers of the same shape start different, and a seed gives
     * the same network every time).
     */
    public static Module rebuild(JsonNode n, Path file, String where, SplittableRandom rng) throws MalformedFileException {
        String type = CheckpointJson.text(n, "type", file, where);
        String path = where + "(" + type + ").";
        Module m = switch (type) {
            case "Sequential" -> {
                Sequential s = new Sequential();
                for (JsonNode c : childList(n, file, path)) {
                    String name = CheckpointJson.text(c, "name", file, path);
                    s.add(name, rebuild(c, file, path + name + ".", rng));
                }
                yield s;
            }
            case "BasicBlock" -> basicBlock(n, file, path, rng);
            case "Conv2d" -> {
                int in = CheckpointJson.smallInt(n, "in_channels", 1, file, path);
                int out = CheckpointJson.smallInt(n, "out_channels", 1, file, path);
                yield new Conv2d(in, out, spec(n, file, path, true), CheckpointJson.bool(n, "bias", file, path), 1, rng);
            }
            case "FactorizedConv2d" -> new FactorizedConv2d(CheckpointJson.smallInt(n, "in_channels", 1, file, path),
                    CheckpointJson.smallInt(n, "out_channels", 1, file, path), spec(n, file, path, true),
                    CheckpointJson.smallInt(n, "rank_in", 1, file, path), CheckpointJson.smallInt(n, "rank_out", 1, file, path),
                    CheckpointJson.bool(n, "bias", file, path), rng);
            case "Linear" -> new Linear(CheckpointJson.smallInt(n, "in_features", 1, file, path),
                    CheckpointJson.smallInt(n, "out_features", 1, file, path), CheckpointJson.bool(n, "bias", file, path), rng);
            case "BatchNorm2d" -> new BatchNorm2d(CheckpointJson.smallInt(n, "num_features", 1, file, path),
                    CheckpointJson.number(n, "momentum", file, path), CheckpointJson.number(n, "eps", file, path));
            case "MaxPool2d" -> {
                ConvSpec s = spec(n, file, path, false);
                square(s, file, path);
                yield new MaxPool2d(s.kernelH(), s.strideH(), s.padH());
            }
            case "AvgPool2d" -> {
                ConvSpec s = spec(n, file, path, false);
                square(s, file, path);
                yield new AvgPool2d(s.kernelH(), s.strideH(), s.padH(), CheckpointJson.bool(n, "count_include_pad", file, path));
            }
            case "Dropout" -> new Dropout(CheckpointJson.number(n, "p", file, path), 0);
            case "ReLU" -> new ReLU();
            case "Flatten" -> new Flatten();
            case "GlobalAvgPool" -> new GlobalAvgPool();
            default -> throw new MalformedFileException(file.toString(), -1, "field '" + where + "type': unknown layer type '"
                    + type + "'");
        };
        if (!(m instanceof Sequential) && !(m instanceof BasicBlock)) {
            checkParameters(n, m, file, path);
        }
        return m;
    }

    private static Module basicBlock(JsonNode n, Path file, String path, SplittableRandom rng) throws MalformedFileException {
        Module conv1 = null;
        Module bn1 = null;
        Module conv2 = null;
        Module bn2 = null;
        Module shortcut = null;
        for (JsonNode c : childList(n, file, path)) {
            String name = CheckpointJson.text(c, "name", file, path);
            Module m = rebuild(c, file, path + name + ".", rng);
            switch (name) {
                case "conv1" -> conv1 = m;
                case "bn1" -> bn1 = m;
                case "conv2" -> conv2 = m;
                case "bn2" -> bn2 = m;
                case "shortcut" -> shortcut = m;
                default -> throw new MalformedFileException(file.toString(), -1, "field '" + path + "children': unexpected child '"
                        + name + "' (a BasicBlock has conv1, bn1, conv2, bn2 and an optional shortcut)");
            }
        }
        if (conv1 == null || conv2 == null || !(bn1 instanceof BatchNorm2d b1) || !(bn2 instanceof BatchNorm2d b2)
                || (shortcut != null && !(shortcut instanceof Sequential))) {
            throw new MalformedFileException(file.toString(), -1, "field '" + path + "children': a BasicBlock needs conv1,"
                    + " bn1 (BatchNorm2d), conv2, bn2 (BatchNorm2d) and optionally a Sequential shortcut");
        }
        return new BasicBlock(conv1, b1, conv2, b2, (Sequential) shortcut);
    }

    private static Iterable<JsonNode> childList(JsonNode n, Path file, String path) throws MalformedFileException {
        JsonNode c = CheckpointJson.field(n, "children", file, path);
        if (!c.isArray()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + path + "children' must be an array");
        }
        return c;
    }

    private static ConvSpec spec(JsonNode n, Path file, String path, boolean dilation) throws MalformedFileException {
        int[] k = CheckpointJson.ints(n, "kernel", 2, 1, file, path);
        int[] s = CheckpointJson.ints(n, "stride", 2, 1, file, path);
        int[] p = CheckpointJson.ints(n, "padding", 2, 0, file, path);
        int[] d = dilation ? CheckpointJson.ints(n, "dilation", 2, 1, file, path) : new int[] {1, 1};
        return new ConvSpec(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    private static void square(ConvSpec s, Path file, String path) throws MalformedFileException {
        if (s.kernelH() != s.kernelW() || s.strideH() != s.strideW() || s.padH() != s.padW()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + path + "kernel': pooling windows must be square");
        }
    }

    private static void checkParameters(JsonNode n, Module m, Path file, String path) throws MalformedFileException {
        JsonNode declared = CheckpointJson.field(n, "parameters", file, path);
        Map<String, Tensor> actual = m.namedParameters();
        if (!declared.isObject() || declared.size() != actual.size()) {
            throw new MalformedFileException(file.toString(), -1, "field '" + path + "parameters' must list " + actual.keySet());
        }
        for (Iterator<String> it = declared.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Tensor t = actual.get(name);
            int[] shape = CheckpointJson.ints(declared, name, -1, 0, file, path + "parameters.");
            if (t == null || !Arrays.equals(shape, t.shape())) {
                throw new MalformedFileException(file.toString(), -1, "field '" + path + "parameters." + name + "': shape "
                        + Arrays.toString(shape) + " does not match the layer's hyper-parameters"
                        + (t == null ? " (no such parameter)" : " (expected " + Arrays.toString(t.shape()) + ")"));
            }
        }
    }
}
