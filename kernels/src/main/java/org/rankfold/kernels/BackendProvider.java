package org.rankfold.kernels;

/** A backend implementation registered through {@code META-INF/services}. */
public interface BackendProvider {

    /** The name used by {@code -Drankfold.backend}: "cpu", "opencl". */
    String name();

    /** Higher wins when no backend is named. */
    int priority();

    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, in words for the user. */
    String unavailableReason();

    Backend create();
}
