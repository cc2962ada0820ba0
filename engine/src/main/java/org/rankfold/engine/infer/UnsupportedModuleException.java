package org.rankfold.engine.infer;

/** A module tree the plan compiler cannot lower (a module kind or an arrangement it does not know). */
public final class UnsupportedModuleException extends IllegalArgumentException {
    public UnsupportedModuleException(String message) {
        super(message);
    }
}
