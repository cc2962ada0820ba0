package org.rankfold.engine.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

/**
 * Writes a model's inference function as an ONNX model (IR version 8, default operator set 17): one
 * graph with input "input" of shape [batch, C, H, W] (a symbolic batch dimension) and output "logits"
 * [batch, classes]; every weight an initializer named as in {@link Module#namedParameters()}
 * ("conv1.weight", "layer1.0.bn1.running_mean").
 *
 * <p>Layer mapping (onnx.ai/onnx/operators): Conv2d -> Conv (kernel_shape, strides, pads as
 * [top, left, bottom, right], dilations); FactorizedConv2d -> its three Conv nodes a, g, b; BatchNorm2d ->
 * BatchNormalization in inference form (running statistics, epsilon); ReLU -> Relu; MaxPool2d -> MaxPool;
 * AvgPool2d -> AveragePool with count_include_pad; GlobalAvgPool -> GlobalAveragePool; Flatten -> Flatten
 * (axis 1); Linear -> Gemm (transB = 1); BasicBlock and {@link FoldedBasicBlock} -> their convolutions,
 * Add and Relu; Dropout is the identity at inference and emits nothing. Any other layer is an error naming it.
 */
public final class OnnxExporter {
    /** ONNX IR version written (IR 8 is the one that goes with opset 17, ONNX 1.12). */
    public static final long IR_VERSION = 8;
    /** The default-domain operator set imported. */
    public static final int OPSET = 17;
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    private static final String PRODUCER = "rankfold";
    private static final String PRODUCER_VERSION = "0.1.0";

    private final List<PendingNode> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private OnnxExporter() {
    }

    /**
     * The ONNX bytes of {@code model} for images of {@code channels} x {@code height} x {@code width}; the
     * output width is found by running the model once on a zero image (in evaluation mode, no gradients;
     * the model's train/eval mode is restored).
     */
    public static byte[] toBytes(Module model, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("input must be at least 1x1x1, got " + channels + "x" + height + "x" + width);
        }
        int classes = outputWidth(model, channels, height, width);
        OnnxExporter e = new OnnxExporter();
        e.names.add(INPUT);
        String last = e.emit(model, "", INPUT);
        if (e.nodes.isEmpty() || !last.equals(e.nodes.getLast().outputs()[0])) {
            // The graph's output must be some node's output: an identity model still needs one node.
            e.node("", "Identity", new String[] {last}, new String[] {e.fresh("identity")});
        }
        // Nothing reads the last node's output (it is the last value made), so it can take the graph's name.
        e.nodes.getLast().outputs()[0] = OUTPUT;
        List<ProtoWriter> encoded = e.nodes.stream()
                .map(n -> OnnxMessages.node(n.name(), n.opType(), n.inputs(), n.outputs(), n.attributes())).toList();
        String[] batch = {"batch", null, null, null};
        ProtoWriter input = OnnxMessages.floatValueInfo(INPUT, new int[] {0, channels, height, width}, batch);
        ProtoWriter output = OnnxMessages.floatValueInfo(OUTPUT, new int[] {0, classes}, new String[] {"batch", null});
        ProtoWriter graph = OnnxMessages.graph("rankfold", encoded, e.initializers, List.of(input), List.of(output));
        return OnnxMessages.model(IR_VERSION, PRODUCER, PRODUCER_VERSION, OPSET, graph);
    }

    /** Writes {@link #toBytes} to {@code file} through a temporary sibling and a rename. */
    public static void write(Path file, Module model, int channels, int height, int width) throws IOException {
        byte[] bytes = toBytes(model, channels, height, width);
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int outputWidth(Module model, int c, int h, int w) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            Tensor y = model.forward(Tensor.zeros(1, c, h, w));
            if (y.rank() != 2) {
                throw new IllegalArgumentException("the model's output must be (N, classes), got rank " + y.rank());
            }
            return y.dim(1);
        } finally {
            model.train(wasTraining);
        }
    }

    /** Emits the nodes of {@code m} reading value {@code x}; returns the name of its output value. */
    private String emit(Module m, String path, String x) {
        return switch (m) {
            case Sequential s -> {
                String v = x;
                for (Map.Entry<String, Module> c : s.children().entrySet()) {
                    v = emit(c.getValue(), join(path, c.getKey()), v);
                }
                yield v;
            }
            case Conv2d c -> conv(c, path, x);
            case FactorizedConv2d f -> conv(f.factorB(), join(path, "b"), conv(f.core(), join(path, "g"),
                    conv(f.factorA(), join(path, "a"), x)));
            case BatchNorm2d bn -> node(path, "BatchNormalization", new String[] {x, init(path, "weight", bn.gamma()),
                    init(path, "bias", bn.beta()), init(path, "running_mean", bn.runningMean()),
                    init(path, "running_var", bn.runningVar())}, OnnxMessages.floatAttribute("epsilon", (float) bn.eps()));
            case ReLU _ -> node(path, "Relu", new String[] {x});
            case MaxPool2d p -> node(path, "MaxPool", new String[] {x}, window(p.spec()));
            case AvgPool2d p -> {
                ProtoWriter[] w = window(p.spec());
                yield node(path, "AveragePool", new String[] {x}, w[0], w[1], w[2],
                        OnnxMessages.intAttribute("count_include_pad", p.countIncludePad() ? 1 : 0));
            }
            case GlobalAvgPool _ -> node(path, "GlobalAveragePool", new String[] {x});
            case Flatten _ -> node(path, "Flatten", new String[] {x}, OnnxMessages.intAttribute("axis", 1));
            case Linear l -> node(path, "Gemm", l.bias() == null
                            ? new String[] {x, init(path, "weight", l.weight())}
                            : new String[] {x, init(path, "weight", l.weight()), init(path, "bias", l.bias())},
                    OnnxMessages.intAttribute("transB", 1));
            case Dropout _ -> x;
            case BasicBlock b -> residual(b.children(), path, x, true);
            case FoldedBasicBlock b -> residual(b.children(), path, x, false);
        };
    }

    /** conv1 [bn1] relu conv2 [bn2], plus the shortcut (identity or projection), then Add and Relu. */
    private String residual(Map<String, Module> c, String path, String x, boolean withBn) {
        String h = emit(c.get("conv1"), join(path, "conv1"), x);
        if (withBn) {
            h = emit(c.get("bn1"), join(path, "bn1"), h);
        }
        h = node(join(path, "relu1"), "Relu", new String[] {h});
        h = emit(c.get("conv2"), join(path, "conv2"), h);
        if (withBn) {
            h = emit(c.get("bn2"), join(path, "bn2"), h);
        }
        Module shortcut = c.get("shortcut");
        String s = shortcut == null ? x : emit(shortcut, join(path, "shortcut"), x);
        String sum = node(join(path, "add"), "Add", new String[] {h, s});
        return node(join(path, "relu2"), "Relu", new String[] {sum});
    }

    private String conv(Conv2d c, String path, String x) {
        ConvSpec s = c.spec();
        String w = init(path, "weight", c.weight());
        String[] inputs = c.bias() == null ? new String[] {x, w} : new String[] {x, w, init(path, "bias", c.bias())};
        return node(path, "Conv", inputs,
                OnnxMessages.intsAttribute("kernel_shape", s.kernelH(), s.kernelW()),
                OnnxMessages.intsAttribute("strides", s.strideH(), s.strideW()),
                OnnxMessages.intsAttribute("pads", s.padH(), s.padW(), s.padH(), s.padW()),
                OnnxMessages.intsAttribute("dilations", s.dilationH(), s.dilationW()),
                OnnxMessages.intAttribute("group", 1));
    }

    /** kernel_shape, strides, pads of a pooling window (dilation 1 and floor rounding, the ONNX defaults). */
    private static ProtoWriter[] window(ConvSpec s) {
        return new ProtoWriter[] {OnnxMessages.intsAttribute("kernel_shape", s.kernelH(), s.kernelW()),
                OnnxMessages.intsAttribute("strides", s.strideH(), s.strideW()),
                OnnxMessages.intsAttribute("pads", s.padH(), s.padW(), s.padH(), s.padW())};
    }

    /** Adds the initializer {@code path.local} holding {@code t}; returns its name. */
    private String init(String path, String local, Tensor t) {
        String name = join(path, local);
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate ONNX value name '" + name + "'");
        }
        initializers.add(OnnxMessages.floatTensor(name, t.shape(), t.data()));
        return name;
    }

    /** Adds a node named {@code path} (or its op type) with one fresh output; returns the output's name. */
    private String node(String path, String opType, String[] inputs, ProtoWriter... attributes) {
        String nodeName = path.isEmpty() ? opType : path;
        String out = fresh(nodeName + ".out");
        node(nodeName, opType, inputs, new String[] {out}, attributes);
        return out;
    }

    private void node(String name, String opType, String[] inputs, String[] outputs, ProtoWriter... attributes) {
        nodes.add(new PendingNode(name, opType, inputs, outputs, attributes));
    }

    /** A node kept unencoded until the end, so the last one's output can still be renamed. */
    private record PendingNode(String name, String opType, String[] inputs, String[] outputs, ProtoWriter[] attributes) {
    }

    private String fresh(String base) {
        String name = base;
        for (int i = 1; !names.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static String join(String path, String local) {
        return path.isEmpty() ? local : path + "." + local;
    }
}
