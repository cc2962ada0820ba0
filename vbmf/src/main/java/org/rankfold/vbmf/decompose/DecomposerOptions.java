package org.rankfold.vbmf.decompose;

import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.RankSelector;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * What the {@link Decomposer} touches and how (docs/method.md, which layers).
 *
 * @param selector  chooses each rank from an unfolding (Tucker-2: mode 0 gives R0, mode 1 gives R1; SVD: the
 *                  weight matrix gives R)
 * @param tucker    HOOI stopping rule for Tucker-2
 * @param pointwise true: 1x1 convolutions get a two-factor SVD; false: they stay dense
 * @param linear    true: linear layers get a two-factor SVD; false: they stay dense
 * @param first     true: the first convolution of the forward pass (the input layer, C = 1 or 3) is also
 *                  decomposed; false (Kim et al. 2016): it stays dense
 * @param classifier true: the classifier (a linear layer that is the last layer with weights) is also
 *                  decomposed; false: it stays dense. Its rank bounds how many classes the logits can
 *                  separate (rank 1 puts all ten Fashion-MNIST classes on one line), while it holds a few
 *                  hundred or thousand parameters, so a target search must not spend it
 * @param phase     phase name written to each audit record
 * @param speed     with {@code --speed-aware}: a layer is decomposed only if also measured faster; null: off
 */
public record DecomposerOptions(RankSelector selector, Tucker2Options tucker, boolean pointwise, boolean linear,
                                boolean first, boolean classifier, String phase, SpeedCheck speed) {

    /** Without the speed check. */
    public DecomposerOptions(RankSelector selector, Tucker2Options tucker, boolean pointwise, boolean linear,
                             boolean first, boolean classifier, String phase) {
        this(selector, tucker, pointwise, linear, first, classifier, phase, null);
    }

    public DecomposerOptions {
        if (selector == null || tucker == null || phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("selector, tucker options and phase are required");
        }
    }

    /**
     * EVBMF ranks, TensorLy's HOOI rule, kxk convolutions and hidden linear layers; first conv, 1x1 convs and
     * the classifier dense.
     */
    public static DecomposerOptions defaults() {
        return new DecomposerOptions(new EvbmfSelector(), Tucker2Options.tensorly(), false, true, false, false, "decompose");
    }

    public DecomposerOptions withSelector(RankSelector s) {
        return new DecomposerOptions(s, tucker, pointwise, linear, first, classifier, phase, speed);
    }

    public DecomposerOptions withPhase(String p) {
        return new DecomposerOptions(selector, tucker, pointwise, linear, first, classifier, p, speed);
    }

    /** With the speed check {@code s} (null: off). */
    public DecomposerOptions withSpeed(SpeedCheck s) {
        return new DecomposerOptions(selector, tucker, pointwise, linear, first, classifier, phase, s);
    }

    public DecomposerOptions withLayers(boolean includePointwise, boolean includeLinear, boolean includeFirst) {
        return new DecomposerOptions(selector, tucker, includePointwise, includeLinear, includeFirst, classifier, phase, speed);
    }

    /** With the classifier decomposed too ({@code true}) or left dense. */
    public DecomposerOptions withClassifier(boolean includeClassifier) {
        return new DecomposerOptions(selector, tucker, pointwise, linear, first, includeClassifier, phase, speed);
    }
}
