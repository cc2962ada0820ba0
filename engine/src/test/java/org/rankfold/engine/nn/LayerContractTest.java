package org.rankfold.engine.nn;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Weights;
import org.rankfold.engine.device.DeviceParity;
import org.rankfold.engine.export.OnnxExporter;
import org.rankfold.engine.export.OnnxRuntimeRun;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GradCheck;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rankfold.engine.testing.EngineTolerances.FD_REL;
import static org.rankfold.engine.testing.EngineTolerances.FD_REL_BATCH_NORM;
import static org.rankfold.engine.testing.EngineTolerances.FD_STEP;

/**
 * The contract every layer type keeps: its gradients agree with finite differences, a checkpoint gives
 * back bit-equal outputs, its state dict uses PyTorch's names and shapes, its ONNX export runs in ONNX
 * Runtime with our outputs, its params/MACs equal a hand formula, and its OpenCL device form (where it has
 * one) agrees with the CPU. The layer types are read from the sealed {@link Module} hierarchy itself, so a
 * new layer fails here until it has a {@link Contract} in {@link #CASES}.
 *
 * <p>Whole-model checks (checkpoint, state dict, ONNX) run the layer as child "layer" of a Sequential: a
 * Flatten named "flatten" goes before a layer that takes feature vectors, and one named "head" after a
 * layer whose output is not yet (N, features), since checkpoints and ONNX graphs take images and give
 * logits.
 */
class LayerContractTest extends SeededTest {
    /** ONNX Runtime sums in another order and fuses ops: outputs equal to 1e-4 of the largest output. */
    private static final double ONNX_REL = 1e-4;
    private static final int BATCH = 2;

    /** Whether a layer has a form for a check, or why it has none (the test then checks the refusal). */
    record Support(String missingBecause) {
        static final Support YES = new Support(null);

        static Support no(String because) {
            return new Support(because);
        }

        boolean supported() {
            return missingBecause == null;
        }
    }

    /**
     * How the gradients of a layer are checked: in training or evaluation mode, with which tolerance, with a
     * layer built afresh (same seed) for every evaluation when it draws random numbers, and for layers with
     * inner ReLUs at a point away from their kinks ({@link #awayFromKinks}).
     */
    record GradSpec(boolean training, double step, double tolerance, boolean freshLayerPerEvaluation, boolean kinkFree) {
        static final GradSpec SMOOTH = new GradSpec(true, FD_STEP, FD_REL, false, false);
        /**
         * Residual blocks: piecewise linear away from the kinks, so a long step costs no truncation error, and
         * it divides the float32 rounding of their larger outputs (|y| near 4) by more; 2e-2 as the engine's
         * other block check.
         */
        static final GradSpec INNER_RELUS = new GradSpec(false, 5e-2, 2e-2, false, true);
    }

    /**
     * One layer type's case: a small instance, its per-image input shape, its state dict as PyTorch names it
     * (name to shape, in order), its costs by hand (weights + biases, multiply-accumulates per image, BN
     * affine parameters), and which checks apply.
     */
    record Contract(Function<SplittableRandom, Module> create, int[] input, Map<String, int[]> stateDict,
                    long parameters, long macs, long batchNormParameters, GradSpec gradients, Support checkpoint,
                    Support device, boolean deviceTraining) {
    }

    private static Map<String, int[]> names(Object... nameAndShape) {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndShape.length; i += 2) {
            m.put((String) nameAndShape[i], (int[]) nameAndShape[i + 1]);
        }
        return m;
    }

    private static int[] s(int... shape) {
        return shape;
    }

    private static Object[] bn(String prefix, int c) {
        return new Object[] {prefix + "weight", s(c), prefix + "bias", s(c), prefix + "running_mean", s(c),
            prefix + "running_var", s(c), prefix + "num_batches_tracked", s()};
    }

    private static Object[] concat(Object[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray();
    }

    private static final String FOLDED_ONLY_FOR_EXPORT = "a block with folded batch norms is an export form, not a training one";

    /** Every layer type's case. Output sizes in the formulas: conv (H + 2p - k) / stride + 1. */
    static final Map<Class<? extends Module>, Contract> CASES = Map.ofEntries(
            // 3 -> 4 channels, 3x3 stride 2 pad 1 on 6x6: output 4 x 3 x 3
            Map.entry(Conv2d.class, new Contract(rng -> new Conv2d(3, 4, 3, 2, 1, true, rng), s(3, 6, 6),
                    names("weight", s(4, 3, 3, 3), "bias", s(4)),
                    4 * 3 * 3 * 3 + 4, (4 * 3 * 3) * (3 * 3 * 3), 0, GradSpec.SMOOTH, Support.YES, Support.YES, true)),
            // A: 3 -> 2 (1x1), core: 2 -> 3 (3x3 pad 1), B: 3 -> 4 (1x1) + bias, all on 5x5
            Map.entry(FactorizedConv2d.class, new Contract(
                    rng -> new FactorizedConv2d(3, 4, ConvSpec.square(3, 1, 1, 1), 2, 3, true, rng), s(3, 5, 5),
                    names("a.weight", s(2, 3, 1, 1), "g.weight", s(3, 2, 3, 3), "b.weight", s(4, 3, 1, 1), "b.bias", s(4)),
                    2 * 3 + 3 * 2 * 9 + 4 * 3 + 4, 25 * (2 * 3) + 25 * (3 * 2 * 9) + 25 * (4 * 3), 0, GradSpec.SMOOTH,
                    Support.YES, Support.YES, true)),
            Map.entry(Linear.class, new Contract(rng -> new Linear(6, 4, true, rng), s(6),
                    names("weight", s(4, 6), "bias", s(4)), 4 * 6 + 4, 4 * 6, 0, GradSpec.SMOOTH, Support.YES,
                    Support.YES, true)),
            Map.entry(BatchNorm2d.class, new Contract(rng -> new BatchNorm2d(3), s(3, 4, 4), names(bn("", 3)),
                    0, 0, 2 * 3, new GradSpec(true, FD_STEP, FD_REL_BATCH_NORM, false, false), Support.YES, Support.YES, true)),
            Map.entry(ReLU.class, new Contract(rng -> new ReLU(), s(2, 3, 3), names(), 0, 0, 0, GradSpec.SMOOTH,
                    Support.YES, Support.YES, true)),
            Map.entry(MaxPool2d.class, new Contract(rng -> new MaxPool2d(3, 2, 1), s(2, 5, 5), names(), 0, 0, 0,
                    GradSpec.SMOOTH, Support.YES, Support.YES, true)),
            Map.entry(AvgPool2d.class, new Contract(rng -> new AvgPool2d(3, 2, 1, false), s(2, 5, 5), names(), 0, 0, 0,
                    GradSpec.SMOOTH, Support.YES, Support.YES, true)),
            Map.entry(GlobalAvgPool.class, new Contract(rng -> new GlobalAvgPool(), s(3, 4, 4), names(), 0, 0, 0,
                    GradSpec.SMOOTH, Support.YES, Support.YES, true)),
            Map.entry(Flatten.class, new Contract(rng -> new Flatten(), s(2, 3, 3), names(), 0, 0, 0, GradSpec.SMOOTH,
                    Support.YES, Support.YES, true)),
            // training mode with one mask: a layer built from the same seed for every evaluation; the device
            // draws its masks from its own generator, so its form is compared in evaluation mode
            Map.entry(Dropout.class, new Contract(rng -> new Dropout(0.5, 11), s(2, 3, 3), names(), 0, 0, 0,
                    new GradSpec(true, FD_STEP, FD_REL, true, false), Support.YES, Support.YES, false)),
            // conv 2 -> 3, 3x3 pad 1 on 4x4, then 2x2 average pooling
            Map.entry(Sequential.class, new Contract(rng -> new Sequential(new Conv2d(2, 3, 3, 1, 1, false, rng),
                    new AvgPool2d(2, 2, 0, true)),
                    s(2, 4, 4), names("0.weight", s(3, 2, 3, 3)), 3 * 2 * 9, 16 * (3 * 2 * 9), 0, GradSpec.SMOOTH,
                    Support.YES, Support.YES, true)),
            // 2 -> 4 channels, stride 2 on 6x6 (output 4 x 3 x 3), with the 1x1 projection shortcut
            Map.entry(BasicBlock.class, new Contract(rng -> new BasicBlock(2, 4, 2, rng), s(2, 6, 6),
                    names(concat(new Object[] {"conv1.weight", s(4, 2, 3, 3)}, bn("bn1.", 4),
                            new Object[] {"conv2.weight", s(4, 4, 3, 3)}, bn("bn2.", 4),
                            new Object[] {"shortcut.0.weight", s(4, 2, 1, 1)}, bn("shortcut.1.", 4))),
                    4 * 2 * 9 + 4 * 4 * 9 + 4 * 2, 9 * (4 * 2 * 9) + 9 * (4 * 4 * 9) + 9 * (4 * 2), 3 * 2 * 4,
                    GradSpec.INNER_RELUS, Support.YES, Support.YES, true)),
            Map.entry(FoldedBasicBlock.class, new Contract(rng -> new FoldedBasicBlock(new Conv2d(2, 4, 3, 2, 1, true, rng),
                    new Conv2d(4, 4, 3, 1, 1, true, rng), new Sequential(new Conv2d(2, 4, 1, 2, 0, true, rng))), s(2, 6, 6),
                    names("conv1.weight", s(4, 2, 3, 3), "conv1.bias", s(4), "conv2.weight", s(4, 4, 3, 3), "conv2.bias", s(4),
                            "shortcut.0.weight", s(4, 2, 1, 1), "shortcut.0.bias", s(4)),
                    4 * 2 * 9 + 4 + 4 * 4 * 9 + 4 + 4 * 2 + 4, 9 * (4 * 2 * 9) + 9 * (4 * 4 * 9) + 9 * (4 * 2), 0,
                    GradSpec.INNER_RELUS, Support.no(FOLDED_ONLY_FOR_EXPORT),
                    Support.no(FOLDED_ONLY_FOR_EXPORT), true)));

    /** The concrete layer types of the sealed hierarchy under {@link Module}, in a stable order. */
    static Stream<Class<? extends Module>> layerTypes() {
        Set<Class<? extends Module>> out = new LinkedHashSet<>();
        collect(Module.class, out);
        return out.stream().sorted((a, b) -> a.getName().compareTo(b.getName()));
    }

    @SuppressWarnings("unchecked")
    private static void collect(Class<?> type, Set<Class<? extends Module>> out) {
        if (!type.isSealed()) {
            assertTrue(Modifier.isFinal(type.getModifiers()), type.getName() + " must be sealed or final: the layer set is closed");
            out.add((Class<? extends Module>) type);
            return;
        }
        for (Class<?> sub : type.getPermittedSubclasses()) {
            collect(sub, out);
        }
    }

    private Contract contract(Class<? extends Module> type) {
        Contract c = CASES.get(type);
        if (c == null) {
            fail("layer type " + type.getName() + " has no contract case: add one to LayerContractTest.CASES");
        }
        return c;
    }

    private SplittableRandom rng(Class<? extends Module> type) {
        return new SplittableRandom(random().nextLong() ^ type.getName().hashCode());
    }

    @Test
    void theLayerSetIsClosedAndEveryLayerHasACase() {
        assertTrue(Module.class.isSealed(), "Module is sealed");
        List<Class<? extends Module>> types = layerTypes().toList();
        assertTrue(types.size() >= 13, "the zoo's layer types are found: " + types);
        assertEquals(Set.copyOf(types), CASES.keySet(), "one contract case per layer type, and none for a type that is gone");
    }

    // ---- gradients ---------------------------------------------------------------------------------

    /**
     * Values spaced by more than two finite-difference steps, none within a step of zero, shuffled: no
     * ReLU switches and no pooling window changes its maximum under the perturbation.
     */
    private static Tensor spaced(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((i - n / 2.0 + 0.5) * 0.05);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.fromArray(v, shape);
    }

    private static int[] batchShape(int n, int[] perImage) {
        int[] full = new int[perImage.length + 1];
        full[0] = n;
        System.arraycopy(perImage, 0, full, 1, perImage.length);
        return full;
    }

    @ParameterizedTest
    @MethodSource("layerTypes")
    void gradientsMatchFiniteDifferences(Class<? extends Module> type) {
        Contract c = contract(type);
        SplittableRandom rng = rng(type);
        long seed = rng.nextLong();
        Module layer = c.create().apply(new SplittableRandom(seed));
        layer.train(c.gradients().training());
        if (c.gradients().kinkFree()) {
            awayFromKinks(layer);
        }
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(spaced(rng, batchShape(BATCH, c.input())));
        inputs.addAll(layer.parameters());
        Function<Tensor[], Tensor> f;
        if (c.gradients().freshLayerPerEvaluation()) {
            // same seed, same random state: every evaluation sees the same layer (e.g. one dropout mask)
            f = t -> c.create().apply(new SplittableRandom(seed)).train(c.gradients().training()).forward(t[0]);
        } else {
            f = t -> layer.forward(t[0]);
        }
        GradCheck.assertGradients(type.getSimpleName(), f, inputs.toArray(Tensor[]::new), rng, c.gradients().step(),
                c.gradients().tolerance());
    }

    /**
     * Moves every inner ReLU's input far from zero, so that no finite-difference step crosses a kink: each
     * BN (evaluation mode) and each biased convolution scales by 1/4 and adds +2 on even channels, -2 on odd
     * ones. Even channels stay active and odd ones off (a zero gradient both ways), so both branches of
     * every ReLU are still checked.
     */
    private static void awayFromKinks(Module layer) {
        for (Module m : layer.namedModules().values()) {
            Tensor scale = null;
            Tensor shift = null;
            if (m instanceof BatchNorm2d bn) {
                scale = bn.gamma();
                shift = bn.beta();
                Arrays.fill(scale.data(), 1f);
                Arrays.fill(bn.runningMean().data(), 0f);
                Arrays.fill(bn.runningVar().data(), 1f);
            } else if (m instanceof Conv2d conv && conv.bias() != null) {
                scale = conv.weight();
                shift = conv.bias();
            }
            if (scale != null) {
                float[] w = scale.data();
                for (int i = 0; i < w.length; i++) {
                    w[i] *= 0.25f;
                }
                float[] b = shift.data();
                for (int i = 0; i < b.length; i++) {
                    b[i] = i % 2 == 0 ? 2f : -2f;
                }
            }
        }
    }

    // ---- the layer inside a model: checkpoint, state dict, ONNX ----------------------------------------

    /** The layer as child "layer" of a model that takes images and gives (N, features). */
    private static Sequential harness(Module layer, Contract c) {
        Sequential model = new Sequential();
        if (c.input().length == 1) {
            model.add("flatten", new Flatten());
        }
        model.add("layer", layer);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            if (layer.eval().forward(Tensor.zeros(batchShape(1, c.input()))).rank() != 2) {
                model.add("head", new Flatten());
            }
        }
        return model;
    }

    /** (C, H, W) of the harness's images: a feature vector of n is an n x 1 x 1 image. */
    private static int[] imageShape(Contract c) {
        return c.input().length == 1 ? s(c.input()[0], 1, 1) : c.input();
    }

    /** Distinct random values in every parameter and buffer (running variances positive), so nothing is left at its default. */
    private static void randomize(Module model, SplittableRandom rng) {
        model.namedParameters().values().forEach(t -> Tensor.fillNormal(rng, t.data(), 0, 0.5));
        model.namedBuffers().forEach((name, t) -> {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (name.endsWith("running_var") ? 0.5 + rng.nextDouble() : rng.nextDouble() - 0.5);
            }
        });
    }

    private static float[] outputs(Module model, float[] x, int[] image) {
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return model.forward(Tensor.fromArray(x, batchShape(BATCH, image))).data().clone();
        }
    }

    private static Sequential randomizedHarness(Contract c, SplittableRandom rng) {
        Sequential model = harness(c.create().apply(rng), c);
        randomize(model, rng);
        return model;
    }

    private static float[] images(SplittableRandom rng, Contract c) {
        int n = BATCH;
        for (int d : imageShape(c)) {
            n *= d;
        }
        return uniform(rng, n);
    }

    @ParameterizedTest
    @MethodSource("layerTypes")
    void checkpointRoundTripGivesBitEqualOutputs(Class<? extends Module> type, @TempDir Path dir) throws IOException {
        Contract c = contract(type);
        SplittableRandom rng = rng(type);
        Sequential model = randomizedHarness(c, rng);
        int[] image = imageShape(c);
        float[] x = images(rng, c);
        float[] before = outputs(model, x, image);
        InputShape shape = new InputShape(image[0], image[1], image[2], Math.max(2, before.length / BATCH));
        Path ck = dir.resolve("ck");
        if (!c.checkpoint().supported()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CheckpointWriter.save(ck, model, "contract", shape, TrainingState.initial(), null, null, null),
                    c.checkpoint().missingBecause());
            assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
            return;
        }
        CheckpointWriter.save(ck, model, "contract", shape, TrainingState.initial(), null, null, null);
        Module loaded = CheckpointReader.load(ck).model();
        assertEquals(model.toString(), loaded.toString(), "same architecture");
        assertEquals(model.namedParameters().keySet(), loaded.namedParameters().keySet());
        model.namedParameters().forEach((k, t) -> assertArrayEquals(t.data(), loaded.namedParameters().get(k).data(), k));
        model.namedBuffers().forEach((k, t) -> assertArrayEquals(t.data(), loaded.namedBuffers().get(k).data(), k));
        assertArrayEquals(before, outputs(loaded, x, image), "outputs after the round trip");
    }

    @ParameterizedTest
    @MethodSource("layerTypes")
    void stateDictUsesPyTorchNames(Class<? extends Module> type) {
        Contract c = contract(type);
        Sequential model = harness(c.create().apply(rng(type)), c);
        Map<String, NpyArray> stateDict = Weights.stateDict(model, 0);
        List<String> expected = c.stateDict().keySet().stream().map(n -> "layer." + n).toList();
        assertEquals(expected, List.copyOf(stateDict.keySet()), "state-dict names in registration order");
        c.stateDict().forEach((n, shape) -> assertArrayEquals(shape, stateDict.get("layer." + n).shape(), n));
    }

    @ParameterizedTest
    @MethodSource("layerTypes")
    void onnxExportRunsInOnnxRuntimeWithOurOutputs(Class<? extends Module> type) throws OrtException {
        Contract c = contract(type);
        SplittableRandom rng = rng(type);
        Sequential model = randomizedHarness(c, rng);
        int[] image = imageShape(c);
        float[] x = images(rng, c);
        float[] ours = outputs(model, x, image);
        byte[] onnx = OnnxExporter.toBytes(model, image[0], image[1], image[2]);
        float[] theirs = OnnxRuntimeRun.logits(onnx, x, BATCH, image[0], image[1], image[2]);
        Arrays2.assertClose(type.getSimpleName() + " in ONNX Runtime", ours, theirs, 0,
                ONNX_REL * Math.max(Arrays2.maxAbs(ours), 1e-30));
    }

    // ---- costs and the device form -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("layerTypes")
    void costsEqualTheHandFormula(Class<? extends Module> type) {
        Contract c = contract(type);
        Module layer = c.create().apply(rng(type));
        CostReport report = CostProfiler.profile(layer, c.input());
        assertEquals(c.parameters(), report.parameters(), "weights + biases");
        assertEquals(c.macs(), report.macs(), "multiply-accumulates per image");
        assertEquals(c.batchNormParameters(), report.batchNormParameters(), "BN affine parameters");
        assertEquals(layer.parameterCount(), report.parameters() + report.batchNormParameters(),
                "every parameter is counted once");
    }

    @ParameterizedTest
    @MethodSource("layerTypes")
    void deviceFormMatchesTheCpu(Class<? extends Module> type) {
        Contract c = contract(type);
        SplittableRandom rng = rng(type);
        Module layer = c.create().apply(rng);
        assertNotNull(layer);
        if (!c.device().supported()) {
            DeviceParity.assertRefused(layer);
            return;
        }
        randomize(layer, rng);
        // skipped with the reason when there is no OpenCL device
        DeviceParity.assertMatchesCpu(type.getSimpleName(), layer, c.input(), c.deviceTraining(), rng);
    }
}
