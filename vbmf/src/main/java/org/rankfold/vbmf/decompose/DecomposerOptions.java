package org.rankfold.vbmf.decompose;

import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.RankSelector;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * What the {@link Decomposer} touches and how (DESIGN.md 2.5).
 *
 * @param selector  chooses each rank from an unfolding (Tucker-2: mode 0 gives R0, mode 1 gives R1; SVD: the
 *                  weight matrix gives R)
 * @param tucker    HOOI stopping rule for Tucker-2
 * @param pointwise true: 1x1 convolutions get a two-factor SVD; false: they stay dense
 * @param linear    true: linear layers get a two-factor SVD; false: they stay dense
 * @param first     true: the first convolution of the forward pass (the input layer, C = 1 or 3) is also
 *                  decomposed; false (Kim et al. 2016): it stays dense
 * @param phase     phase name written to each audit record
 * @param speed     with {@code --speed-aware}: a layer is decomposed only if also measured faster; null: off
 */
public record DecomposerOptions(RankSelector selector, Tucker2Options tucker, boolean pointwise, boolean linear,
                                boolean first, String phase, SpeedCheck speed) {

    /** Without the speed check. */
    public DecomposerOptions(RankSelector selector, Tucker2Options tucker, boolean pointwise, boolean linear,
                             boolean first, String phase) {
        this(selector, tucker, pointwise, linear, first, phase, null);
    }

    public DecomposerOptions {
        if (selector == null || tucker == null || phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("selector, tucker options and phase are required");
        }
    }

    /** EVBMF ranks, TensorLy's HOOI rule, kxk convolutions and linear layers, first conv and 1x1 convs dense. */
    public static DecomposerOptions defaults() {
        return new DecomposerOptions(new EvbmfSelector(), Tucker2Options.tensorly(), false, true, false, "decompose");
    }

    public DecomposerOptions withSelector(RankSelector s) {
        return new DecomposerOptions(s, tucker, pointwise, linear, first, phase, speed);
    }

    public DecomposerOptions withPhase(String p) {
        return new DecomposerOptions(selector, tucker, pointwise, linear, first, p, speed);
    }

    /** With the speed check {@code s} (null: off). */
    public DecomposerOptions withSpeed(SpeedCheck s) {
        return new DecomposerOptions(selector, tucker, pointwise, linear, first, phase, s);
    }

    public DecomposerOptions withLayers(boolean includePointwise, boolean includeLinear, boolean includeFirst) {
        return new DecomposerOptions(selector, tucker, includePointwise, includeLinear, includeFirst, phase, speed);
    }
}
