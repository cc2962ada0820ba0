package org.rankfold.kernels.cpu;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendProvider;

/** Registers {@link CpuBackend} (name "cpu"), preferred over the reference whenever the Vector API is present. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    /** Above the reference (which is not a provider) and below OpenCL when a device is present. */
    @Override
    public int priority() {
        return 10;
    }

    /** Needs the incubating Vector API module in the boot layer ({@code --add-modules jdk.incubator.vector}). */
    @Override
    public boolean isAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Override
    public String unavailableReason() {
        return isAvailable() ? "" : "the JVM was started without --add-modules jdk.incubator.vector";
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
