package org.rankfold.vbmf.decompose;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

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
import org.rankfold.vbmf.audit.LayerTiming;

/**
 * {@code --speed-aware} (docs/method.md): a layer whose decomposition lowers params and MACs is decomposed only
 * if its decomposed form is also measured faster, by {@code margin}, than the layer as it is, on the layer's
 * real input shape at {@code batch} images and the current thread count ({@link LayerTiming#faster()}).
 *
 * <p>The decomposed form is built with random factors of the planned ranks (the time of a dense forward does
 * not depend on the values): {@code FactorizedConv2d} (1x1 C -> R1, kxk R1 -> R0 with the layer's stride,
 * padding and dilation, 1x1 R0 -> S) for Tucker-2, two linear layers or two 1x1 convolutions for an SVD.
 *
 * <p>Timings are kept by (layer, weight shape, input shape, ranks), so a target-ratio search that plans the
 * same layer at the same ranks many times measures it once, and {@link #known()} / {@link #remember} let a
 * resumed run reuse the measurements its rank phase decided on instead of timing again (timings are noisy;
 * decisions must not change between planning and applying). Speed is not monotone in the ranks, so with a
 * target ratio the search may stop at a plan a little off the target where a layer was kept for speed.
 */
public final class SpeedCheck {
    private final LayerTimer timer;
    private final int batch;
    private final int threads;
    private final double margin;
    private final Map<String, LayerTiming> known = new LinkedHashMap<>();

    /**
     * @param batch   images per timed call (the run's batch size)
     * @param threads compute threads in effect while timing (recorded)
     * @param margin  the fraction the decomposed form must be faster by, in [0, 1)
     */
    public SpeedCheck(LayerTimer timer, int batch, int threads, double margin) {
        if (timer == null || batch < 1 || threads < 1 || !(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("a timer, batch >= 1, threads >= 1 and a margin in [0, 1) are required");
        }
        this.timer = timer;
        this.batch = batch;
        this.threads = threads;
        this.margin = margin;
    }

    public double margin() {
        return margin;
    }

    /**
     * The timing of {@code layer} (the module as it is in the model) against its decomposition at {@code ranks}:
     * {@code [R0, R1]} for a kxk conv (Tucker-2), {@code [R]} for a linear layer or 1x1 conv (SVD).
     *
     * @param name        the layer's qualified name
     * @param weightShape {@code [S, C, KH, KW]} or {@code [out, in]} (of the folded kernel for a factorized conv)
     * @param inputShape  one image's input to the layer, {@code (C, H, W)} or {@code (in)}
     */
    public synchronized LayerTiming measure(String name, Module layer, int[] weightShape, int[] inputShape, int[] ranks) {
        String key = key(name, weightShape, inputShape, ranks);
        LayerTiming t = known.get(key);
        if (t == null) {
            int[] shape = new int[inputShape.length + 1];
            shape[0] = batch;
            System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
            LayerTimer.Times times = timer.time(layer, decomposedForm(layer, weightShape, ranks), shape);
            t = new LayerTiming(times.originalSeconds(), times.decomposedSeconds(), margin, batch, threads,
                    times.repetitions());
            known.put(key, t);
        }
        return t;
    }

    /** Every timing measured or remembered so far, by key. */
    public synchronized Map<String, LayerTiming> known() {
        return Map.copyOf(known);
    }

    /** Makes {@link #measure} return {@code timing} for {@code key} (a key of {@link #known()}) without timing. */
    public synchronized void remember(String key, LayerTiming timing) {
        known.put(key, timing);
    }

    static String key(String name, int[] weightShape, int[] inputShape, int[] ranks) {
        return name + " " + Arrays.toString(weightShape) + " " + Arrays.toString(inputShape) + " " + Arrays.toString(ranks);
    }

    /** The decomposed form of {@code layer} at {@code ranks}, with random factors. */
    static Module decomposedForm(Module layer, int[] weightShape, int[] ranks) {
        SplittableRandom rng = new SplittableRandom(0xFAC7L);
        int out = weightShape[0];
        int in = weightShape[1];
        Conv2d conv;
        switch (layer) {
            case Linear l -> {
                int r = ranks[0];
                return new Sequential(Linear.of(Tensor.randn(rng, r, in), null),
                        Linear.of(Tensor.randn(rng, out, r), l.bias() == null ? null : Tensor.randn(rng, out)));
            }
            case FactorizedConv2d f -> conv = f.fold();
            case Conv2d c -> conv = c;
            case BatchNorm2d _, ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _, Dropout _,
                 Sequential _, BasicBlock _, FoldedBasicBlock _ ->
                    throw new IllegalArgumentException("layer type " + layer.getClass().getSimpleName() + " has no decomposed form");
        }
        Tensor bias = conv.bias() == null ? null : Tensor.randn(rng, out);
        if (ranks.length == 1) {
            int r = ranks[0];
            return new Sequential(Conv2d.of(Tensor.randn(rng, r, in, 1, 1), null, conv.spec()),
                    Conv2d.of(Tensor.randn(rng, out, r, 1, 1), bias, ConvSpec.square(1, 1, 0, 1)));
        }
        int r0 = ranks[0];
        int r1 = ranks[1];
        return FactorizedConv2d.fromFactors(Tensor.randn(rng, r1, in), Tensor.randn(rng, r0, r1, weightShape[2],
                weightShape[3]), Tensor.randn(rng, out, r0), bias, conv.spec());
    }
}
