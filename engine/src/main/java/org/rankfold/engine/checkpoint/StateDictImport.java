package org.rankfold.engine.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyDtype;
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
 * A PyTorch state dict (tensors named "conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight",
 * "bn1.num_batches_tracked", ..., as read from a safetensors or npz file) turned into a zoo model with
 * those weights: the inverse of {@link Weights#stateDict}.
 *
 * <p>The zoo's definition is the template. Where the file stores a layer in one of the decomposed forms that
 * Rankfold writes, the layer is rebuilt in that form before loading: a convolution stored as
 * "X.a.weight", "X.g.weight", "X.b.weight" (+ "X.b.bias") is a {@link FactorizedConv2d} whose ranks come
 * from those shapes, and a convolution or linear layer stored as "X.0.weight", "X.1.weight" is the
 * decomposer's two-factor SVD ({@code Sequential(first, second)}); a convolution with "X.bias" gets a
 * bias. The factor shapes must chain exactly (checked before anything is allocated, so every allocation
 * matches a tensor present in the file).
 *
 * <p>Then the file must match the model as PyTorch's {@code load_state_dict(strict=True)} demands: every
 * parameter and buffer present as F32 with the model's shape, every BatchNorm's "num_batches_tracked" an
 * I64 scalar, no other tensor, and (beyond PyTorch) every value finite. All problems are collected and
 * reported in one {@link MalformedFileException}: missing keys, unexpected keys, shape and dtype
 * mismatches, each naming the tensor (and both shapes).
 */
public final class StateDictImport {
    /** Problems of each kind named in full in the error message; the rest are counted. */
    private static final int LISTED = 6;

    private StateDictImport() {
    }

    /** The imported model with its weights, and the BatchNorm batch count (the training step to record). */
    public record Imported(Module model, long batchesTracked) {
    }

    /**
     * Builds zoo model {@code modelName} for {@code input}, adapted to the layer forms found in
     * {@code tensors}, and loads them into it.
     *
     * @param file named in every error
     * @throws MalformedFileException when the tensors do not match the model (all problems in one message)
     */
    public static Imported load(String modelName, InputShape input, Map<String, NpyArray> tensors, String file)
            throws MalformedFileException {
        Module model = input.createZooModel(modelName, 0);
        List<String> problems = new ArrayList<>();
        adapt(model, tensors, problems);
        if (problems.isEmpty()) {
            check(model, tensors, problems);
        }
        if (!problems.isEmpty()) {
            throw new MalformedFileException(file, -1, "does not match " + modelName + " for " + input.channels() + "x"
                    + input.height() + "x" + input.width() + " inputs and " + input.classes() + " classes: "
                    + String.join("; ", problems));
        }
        Weights.load(model, tensors, Path.of(file));
        long tracked = 0;
        for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
            if (isCounter(e.getKey())) {
                tracked = Math.max(tracked, e.getValue().scalarLong());
            }
        }
        return new Imported(model, tracked);
    }

    /**
     * The input channels and class count the file implies for zoo model {@code modelName}: dimension 1 of
     * the first convolution's weight (or of its first factor) and dimension 0 of the last linear layer's
     * weight (or of its second factor); -1 for either when the file does not say.
     */
    public static int[] channelsAndClasses(String modelName, Map<String, NpyArray> tensors) {
        Module probe = new InputShape(1, 32, 32, 10).createZooModel(modelName, 0);
        String firstConv = null;
        String lastLinear = null;
        for (Map.Entry<String, Module> e : probe.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d && firstConv == null) {
                firstConv = e.getKey();
            }
            if (e.getValue() instanceof Linear) {
                lastLinear = e.getKey();
            }
        }
        int channels = -1;
        int classes = -1;
        if (firstConv != null) {
            for (String w : new String[] {".weight", ".a.weight", ".0.weight"}) {
                NpyArray a = tensors.get(firstConv + w);
                if (a != null && a.rank() == 4) {
                    channels = a.dim(1);
                    break;
                }
            }
        }
        if (lastLinear != null) {
            for (String w : new String[] {".weight", ".1.weight"}) {
                NpyArray a = tensors.get(lastLinear + w);
                if (a != null && a.rank() == 2) {
                    classes = a.dim(0);
                    break;
                }
            }
        }
        return new int[] {channels, classes};
    }

    // ---- structure: the decomposed forms ------------------------------------------------------------

    private static void adapt(Module model, Map<String, NpyArray> t, List<String> problems) {
        SplittableRandom rng = new SplittableRandom(0);
        for (Map.Entry<String, Module> e : new LinkedHashMap<>(model.namedModules()).entrySet()) {
            String n = e.getKey();
            if (t.containsKey(n + ".weight")) {
                if (e.getValue() instanceof Conv2d c && c.bias() == null && t.containsKey(n + ".bias")) {
                    model.replaceModule(n, new Conv2d(c.inChannels(), c.outChannels(), c.spec(), true, 1, rng));
                }
                continue;
            }
            switch (e.getValue()) {
                case Conv2d c when t.containsKey(n + ".g.weight") -> {
                    int[] a = shape(t, n + ".a.weight");
                    int[] g = shape(t, n + ".g.weight");
                    int[] b = shape(t, n + ".b.weight");
                    ConvSpec s = c.spec();
                    if (a.length != 4 || g.length != 4 || b.length != 4 || a[1] != c.inChannels() || a[2] != 1 || a[3] != 1
                            || g[1] != a[0] || g[2] != s.kernelH() || g[3] != s.kernelW() || b[0] != c.outChannels()
                            || b[1] != g[0] || b[2] != 1 || b[3] != 1 || a[0] < 1 || g[0] < 1) {
                        problems.add("factorized conv '" + n + "': a.weight " + Arrays.toString(a) + ", g.weight "
                                + Arrays.toString(g) + ", b.weight " + Arrays.toString(b) + " do not form (R_in, "
                                + c.inChannels() + ", 1, 1), (R_out, R_in, " + s.kernelH() + ", " + s.kernelW() + "), ("
                                + c.outChannels() + ", R_out, 1, 1)");
                    } else {
                        model.replaceModule(n, new FactorizedConv2d(c.inChannels(), c.outChannels(), s, a[0], g[0],
                                t.containsKey(n + ".b.bias"), rng));
                    }
                }
                case Conv2d c when t.containsKey(n + ".0.weight") -> {
                    int[] f = shape(t, n + ".0.weight");
                    int[] g = shape(t, n + ".1.weight");
                    ConvSpec s = c.spec();
                    if (f.length != 4 || g.length != 4 || f[0] < 1 || f[1] != c.inChannels() || f[2] != s.kernelH()
                            || f[3] != s.kernelW() || g[0] != c.outChannels() || g[1] != f[0] || g[2] != 1 || g[3] != 1) {
                        problems.add("two-factor conv '" + n + "': 0.weight " + Arrays.toString(f) + ", 1.weight "
                                + Arrays.toString(g) + " do not form (R, " + c.inChannels() + ", " + s.kernelH() + ", "
                                + s.kernelW() + "), (" + c.outChannels() + ", R, 1, 1)");
                    } else {
                        model.replaceModule(n, new Sequential(new Conv2d(c.inChannels(), f[0], s, t.containsKey(n + ".0.bias"), 1, rng),
                                new Conv2d(f[0], c.outChannels(), ConvSpec.square(1, 1, 0, 1), t.containsKey(n + ".1.bias"), 1, rng)));
                    }
                }
                case Linear l when t.containsKey(n + ".0.weight") -> {
                    int[] f = shape(t, n + ".0.weight");
                    int[] g = shape(t, n + ".1.weight");
                    int in = l.weight().dim(1);
                    int out = l.weight().dim(0);
                    if (f.length != 2 || g.length != 2 || f[0] < 1 || f[1] != in || g[0] != out || g[1] != f[0]) {
                        problems.add("two-factor linear '" + n + "': 0.weight " + Arrays.toString(f) + ", 1.weight "
                                + Arrays.toString(g) + " do not form (R, " + in + "), (" + out + ", R)");
                    } else {
                        model.replaceModule(n, new Sequential(new Linear(in, f[0], t.containsKey(n + ".0.bias"), rng),
                                new Linear(f[0], out, t.containsKey(n + ".1.bias"), rng)));
                    }
                }
                // a layer whose tensors the file names as they are: nothing to adapt
                case Conv2d _, Linear _, FactorizedConv2d _, BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _,
                     Flatten _, Dropout _, Sequential _, BasicBlock _, FoldedBasicBlock _ -> { }
            }
        }
    }

    private static int[] shape(Map<String, NpyArray> t, String name) {
        NpyArray a = t.get(name);
        return a == null ? new int[0] : a.shape();
    }

    // ---- strict matching ----------------------------------------------------------------------------

    private static void check(Module model, Map<String, NpyArray> t, List<String> problems) {
        Map<String, int[]> expected = new LinkedHashMap<>();
        Set<String> counters = new LinkedHashSet<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            if (e.getValue() instanceof BatchNorm2d) {
                counters.add(prefix + Weights.NUM_BATCHES_TRACKED);
            }
        }
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            expected.put(e.getKey(), e.getValue().shape());
        }
        for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
            expected.put(e.getKey(), e.getValue().shape());
        }
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            NpyArray a = t.get(e.getKey());
            if (a == null) {
                missing.add(e.getKey());
            } else if (a.dtype() != NpyDtype.FLOAT32) {
                mismatched.add("'" + e.getKey() + "' is " + a.dtype() + ", expected FLOAT32 (save with model.float())");
            } else if (!Arrays.equals(a.shape(), e.getValue())) {
                mismatched.add("'" + e.getKey() + "' has shape " + Arrays.toString(a.shape()) + " in the file, "
                        + Arrays.toString(e.getValue()) + " in the model");
            } else {
                String bad = firstNonFinite(a);
                if (bad == null && e.getKey().endsWith("running_var")) {
                    bad = firstNegative(a);
                }
                if (bad != null) {
                    mismatched.add("'" + e.getKey() + "' holds " + bad);
                }
            }
        }
        for (String c : counters) {
            NpyArray a = t.get(c);
            if (a == null) {
                missing.add(c);
            } else if (a.dtype() != NpyDtype.INT64 || a.size() != 1 || a.rank() > 1 || a.scalarLong() < 0) {
                mismatched.add("'" + c + "' must be a non-negative INT64 scalar, got " + a.dtype() + " " + Arrays.toString(a.shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : t.keySet()) {
            if (!expected.containsKey(name) && !counters.contains(name)) {
                unexpected.add(name);
            }
        }
        list(problems, "missing", missing);
        list(problems, "unexpected", unexpected);
        list(problems, "mismatched", mismatched);
    }

    private static boolean isCounter(String name) {
        return name.equals(Weights.NUM_BATCHES_TRACKED) || name.endsWith("." + Weights.NUM_BATCHES_TRACKED);
    }

    private static String firstNonFinite(NpyArray a) {
        float[] v = a.asFloats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return "a non-finite value (" + v[i] + ") at flat index " + i;
            }
        }
        return null;
    }

    /** A variance is never negative: BatchNorm would take the square root of a negative number. */
    private static String firstNegative(NpyArray a) {
        float[] v = a.asFloats();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                return "a negative variance (" + v[i] + ") at flat index " + i;
            }
        }
        return null;
    }

    private static void list(List<String> problems, String kind, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder().append(items.size()).append(' ').append(kind).append(" (");
        for (int i = 0; i < Math.min(LISTED, items.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(kind.equals("mismatched") ? items.get(i) : "'" + items.get(i) + "'");
        }
        if (items.size() > LISTED) {
            b.append(", and ").append(items.size() - LISTED).append(" more");
        }
        problems.add(b.append(')').toString());
    }
}
