package org.rankfold.vbmf.pipeline;

import java.util.Locale;

/**
 * The ablation: which ingredients of the method a run uses, everything else (seed, data, budgets)
 * equal.
 * <ul>
 * <li>{@link #PLAIN}: the plain trained model + EVBMF + Tucker-2 + fine-tuning (Kim et al., ICLR 2016);
 * it decomposes the baseline itself;</li>
 * <li>{@link #ORTHO}: orthogonal regularization on the same factor matrices as {@link #FULL}, without the
 * expansion: the eligible convolutions in factorized form at full rank ({@code R_in = C}, {@code R_out = S}), built
 * from the same initial weights and factor seed (docs/method.md);</li>
 * <li>{@link #OVERPARAM}: over-parameterized training, no regularization;</li>
 * <li>{@link #FULL}: both, the full method.</li>
 * </ul>
 */
public enum Variant {
    PLAIN(false, false), ORTHO(false, true), OVERPARAM(true, false), FULL(true, true);

    private final boolean overparam;
    private final boolean ortho;

    Variant(boolean overparam, boolean ortho) {
        this.overparam = overparam;
        this.ortho = ortho;
    }

    public boolean overparameterized() {
        return overparam;
    }

    public boolean orthogonal() {
        return ortho;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Variant parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("variant must be plain, ortho, overparam or full, got '" + s + "'");
        }
    }
}
