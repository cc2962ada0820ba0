package org.rankfold.vbmf.pipeline;

import java.util.Locale;

import org.rankfold.engine.nn.Overparameterization;

/**
 * The two readings of the paper's over-parameterization (docs/method.md), plus none. Both train every
 * eligible kxk convolution as a {@code FactorizedConv2d} with {@code R_in = ceil(e*C)},
 * {@code R_out = ceil(e*S)}:
 * <ul>
 * <li>{@link #FACTORIZED}: the Tucker form at full rank, {@code e = 1}, with orthogonality on the factor
 * matrices (SVD training, Yang et al. 2020);</li>
 * <li>{@link #EXPAND}: ExpandNets' linear expansion (Guo et al. 2020), {@code e = E} (e.g. 2 or 4);</li>
 * <li>{@link #NONE}: plain convolutions.</li>
 * </ul>
 */
public enum OverparamMode {
    NONE, FACTORIZED, EXPAND;

    /** "none", "factorized" or "expand" (case-insensitive). */
    public static OverparamMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("over-parameterization must be none, factorized or expand, got '" + s + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The engine's mode ({@link Overparameterization} does the conversion). */
    public Overparameterization.Mode engineMode() {
        return Overparameterization.Mode.valueOf(name());
    }

    /** The expansion factor used: 1 for factorized, {@code expand} for expand, 0 (unused) for none. */
    public double factor(double expand) {
        return switch (this) {
            case NONE -> 0;
            case FACTORIZED -> 1;
            case EXPAND -> expand;
        };
    }
}
