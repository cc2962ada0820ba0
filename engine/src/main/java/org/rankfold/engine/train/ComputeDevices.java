package org.rankfold.engine.train;

/**
 * The process-wide {@link ComputeDevice}, or null for the engine's own autograd (the default). Set by the
 * command line's {@code --device} handling for the duration of one command, like the kernels' backend.
 */
public final class ComputeDevices {
    private static volatile ComputeDevice current;

    private ComputeDevices() {
    }

    /** The installed device, or null. */
    public static ComputeDevice current() {
        return current;
    }

    /** Installs {@code device} (null: back to the host autograd); returns the previous one. */
    public static synchronized ComputeDevice install(ComputeDevice device) {
        ComputeDevice previous = current;
        current = device;
        return previous;
    }
}
