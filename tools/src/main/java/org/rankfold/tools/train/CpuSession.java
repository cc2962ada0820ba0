package org.rankfold.tools.train;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.tools.UserError;

/**
 * The CPU backend of one command: a {@link CpuBackend} with the requested thread count installed as the
 * process-wide backend, and the previous one restored on close (so commands run in one JVM, as in tests,
 * do not leak thread pools or settings). The OpenCL device, when one is asked for, is a
 * {@link DeviceSelection}; {@link ComputeSession} opens both for a command.
 */
public final class CpuSession implements AutoCloseable {
    private final Backend previous;
    private final CpuBackend backend;

    private CpuSession(Backend previous, CpuBackend backend) {
        this.previous = previous;
        this.backend = backend;
    }

    /** Validates {@code --threads} (0 = the configured default) and installs the backend. */
    public static CpuSession open(int threads) {
        checkThreads(threads);
        Backend previous = Backends.current();
        CpuBackend backend = new CpuBackend(threads == 0 ? CpuBackend.configuredThreads() : threads);
        Backends.setCurrent(backend);
        return new CpuSession(previous, backend);
    }

    /** A {@link UserError} (exit code 2) unless {@code threads} is 0 (the default) or 1..1024. */
    static void checkThreads(int threads) {
        if (threads < 0 || threads > 1024) {
            throw new UserError("--threads must be between 1 and 1024 (0 for the default), got " + threads);
        }
    }

    public int threads() {
        return backend.threads();
    }

    public String describe() {
        return backend.toString();
    }

    @Override
    public void close() {
        Backends.setCurrent(previous);
        backend.close();
    }
}
