package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendProvider;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

/**
 * Registers {@link OpenClBackend} as "opencl". Its priority is below the CPU backend's, so it is used
 * only when named ({@code -Drankfold.backend=opencl}, {@code --device opencl}): on most machines the
 * OpenCL device is PoCL on the same CPU, slower than the Vector API kernels. Available when at least one
 * OpenCL device is found; otherwise {@link #unavailableReason()} says why (no loader library, no
 * platform, no device).
 */
public final class OpenClBackendProvider implements BackendProvider {
    /** Lower than any real CPU backend's priority. */
    public static final int PRIORITY = -100;

    private OpenClDevices.Discovery discovery;

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable() {
        return !discovery().devices().isEmpty();
    }

    @Override
    public String unavailableReason() {
        return discovery().unavailableReason().orElse("");
    }

    /** Opens the device chosen by {@code -Drankfold.opencl.device} (else the first GPU, else device 0). */
    @Override
    public Backend create() {
        try {
            return new OpenClBackend(OpenClRuntime.open(-1));
        } catch (OpenClUnavailableException e) {
            throw new IllegalStateException("OpenCL backend unavailable: " + e.getMessage(), e);
        }
    }

    private synchronized OpenClDevices.Discovery discovery() {
        if (discovery == null) {
            discovery = OpenClDevices.discover();
        }
        return discovery;
    }
}
