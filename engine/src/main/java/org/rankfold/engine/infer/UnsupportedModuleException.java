package org.rankfold.engine.infer;

/**
 * A module tree the plan compiler cannot lower: shapes that do not chain (a Linear after a spatial activation
 * without Flatten, a BN of the wrong width, a residual branch and shortcut of different shapes).
 */
public final class UnsupportedModuleException extends IllegalArgumentException {
    public UnsupportedModuleException(String message) {
        super(message);
    }
}
