package org.rankfold.engine.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.rankfold.engine.tensor.Tensor;

/**
 * Folds every evaluation-mode BatchNorm2d into the convolution before it, for inference. In evaluation
 * mode BN is the per-channel affine map {@code y = gamma * (z - mean) / sqrt(var + eps) + beta}, so after a
 * convolution {@code z = W * x + b} it is again a convolution with
 * <pre>
 *   scale[o] = gamma[o] / sqrt(var[o] + eps)
 *   W'[o, ...] = scale[o] * W[o, ...]
 *   b'[o] = scale[o] * (b[o] - mean[o]) + beta[o]      (b = 0 when the conv has no bias)
 * </pre>
 * (Ioffe and Szegedy 2015, eq. in Alg. 2, written as one affine map). For a {@link FactorizedConv2d} only
 * its last 1x1 conv "b" is scaled: the three factors are linear, so scaling the output rows of B scales
 * the effective kernel's rows (docs/method.md, factorized convolution). The scale is computed in double.
 *
 * <p>The result is a new module tree in evaluation mode (the input model is not modified; folded weights
 * are fresh tensors, the others shared): in a {@link Sequential} each "conv, BN" pair becomes the folded
 * conv under the conv's name and the BN disappears (a Sequential that ends in a convolution, such as a
 * decomposed 1x1 convolution, counts as a convolution: the BN folds into its last layer); a
 * {@link BasicBlock} becomes a {@link FoldedBasicBlock}. A BN that does not follow a convolution is an error.
 */
public final class BatchNormFolding {
    private BatchNormFolding() {
    }

    /** The model with every BN folded into its convolution (see the class comment). */
    public static Module fold(Module model) {
        Module folded = foldModule(model, "");
        folded.eval();
        return folded;
    }

    private static Module foldModule(Module m, String path) {
        return switch (m) {
            case Sequential seq -> foldSequential(seq, path);
            case BasicBlock block -> foldBlock(block, path);
            case BatchNorm2d _ -> throw new IllegalArgumentException("BatchNorm2d at '" + path
                    + "' does not follow a convolution; cannot fold it");
            case FoldedBasicBlock _ -> throw new IllegalArgumentException("cannot fold batch norms inside FoldedBasicBlock at '"
                    + path + "' (supported containers: Sequential, BasicBlock)");
            // layers that hold no BN are kept as they are
            case Conv2d _, FactorizedConv2d _, Linear _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _,
                 Dropout _ -> m;
        };
    }

    private static Sequential foldSequential(Sequential seq, String path) {
        Sequential out = new Sequential();
        List<Map.Entry<String, Module>> entries = new ArrayList<>(seq.children().entrySet());
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i).getKey();
            Module child = entries.get(i).getValue();
            String childPath = path.isEmpty() ? name : path + "." + name;
            Module next = i + 1 < entries.size() ? entries.get(i + 1).getValue() : null;
            if (isConv(child) && next instanceof BatchNorm2d bn) {
                out.add(name, foldInto(child, bn, childPath));
                i++;
            } else {
                out.add(name, foldModule(child, childPath));
            }
        }
        return out;
    }

    private static FoldedBasicBlock foldBlock(BasicBlock block, String path) {
        Map<String, Module> c = block.children();
        Module conv1 = foldInto(c.get("conv1"), (BatchNorm2d) c.get("bn1"), path + ".conv1");
        Module conv2 = foldInto(c.get("conv2"), (BatchNorm2d) c.get("bn2"), path + ".conv2");
        Sequential shortcut = c.get("shortcut") == null ? null : foldSequential((Sequential) c.get("shortcut"), path + ".shortcut");
        return new FoldedBasicBlock(conv1, conv2, shortcut);
    }

    /**
     * A convolution, or a Sequential that ends in one (a decomposed 1x1 convolution is a Sequential of two
     * 1x1 convolutions): something a following BN folds into.
     */
    private static boolean isConv(Module m) {
        return switch (m) {
            case Sequential s -> !s.layers().isEmpty() && isConv(s.layers().getLast());
            case Conv2d _, FactorizedConv2d _ -> true;
            case Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _, Dropout _,
                 BasicBlock _, FoldedBasicBlock _ -> false;
        };
    }

    /** {@code conv} followed by {@code bn} as one convolution of the same kind. */
    static Module foldInto(Module conv, BatchNorm2d bn, String path) {
        return switch (conv) {
            case Conv2d c -> foldConv(c, bn, path);
            case Sequential s when isConv(s) -> {
                // Fold into the last layer; the others are folded on their own (they may hold BNs in turn).
                Sequential out = new Sequential();
                List<Map.Entry<String, Module>> entries = new ArrayList<>(s.children().entrySet());
                for (int i = 0; i < entries.size(); i++) {
                    Map.Entry<String, Module> e = entries.get(i);
                    String childPath = path + "." + e.getKey();
                    out.add(e.getKey(), i < entries.size() - 1 ? foldModule(e.getValue(), childPath) : foldInto(e.getValue(), bn, childPath));
                }
                yield out;
            }
            case FactorizedConv2d f -> {
                Conv2d b = foldConv(f.factorB(), bn, path + ".b");
                yield FactorizedConv2d.fromFactors(f.factorA().weight(), f.core().weight(), b.weight(), b.bias(), f.core().spec());
            }
            case Sequential _, Linear _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _, Dropout _,
                 BasicBlock _, FoldedBasicBlock _ -> throw new IllegalArgumentException("cannot fold the BN after '" + path
                    + "' into a " + conv.getClass().getSimpleName());
        };
    }

    private static Conv2d foldConv(Conv2d conv, BatchNorm2d bn, String path) {
        int oc = conv.outChannels();
        if (bn.channels() != oc) {
            throw new IllegalArgumentException("BN after '" + path + "' has " + bn.channels() + " channels, the conv has " + oc);
        }
        float[] w = conv.weight().data();
        int per = w.length / oc;
        float[] gamma = bn.gamma().data();
        float[] beta = bn.beta().data();
        float[] mean = bn.runningMean().data();
        float[] var = bn.runningVar().data();
        float[] bias = conv.bias() == null ? null : conv.bias().data();
        float[] w2 = new float[w.length];
        float[] b2 = new float[oc];
        for (int o = 0; o < oc; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + bn.eps());
            for (int e = 0; e < per; e++) {
                w2[o * per + e] = (float) (scale * w[o * per + e]);
            }
            double b = bias == null ? 0 : bias[o];
            b2[o] = (float) (scale * (b - mean[o]) + beta[o]);
        }
        return Conv2d.of(Tensor.wrap(w2, conv.weight().shape()), Tensor.wrap(b2, oc), conv.spec());
    }
}
