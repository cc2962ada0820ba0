package org.rankfold.tools.train;

import java.util.Locale;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.tools.UserError;

/**
 * The compute backend of one command: a {@link CpuBackend} with the requested thread count installed as
 * the process-wide backend, and the previous one restored on close (so commands run in one JVM, as in
 * tests, do not leak thread pools or settings).
 */
public final class CpuSession implements AutoCloseable {
    private final Backend previous;
    private final CpuBackend backend;

    private CpuSession(Backend previous, CpuBackend backend) {
        this.previous = previous;
        this.backend = backend;
    }

    /** Validates {@code --device} and {@code --threads} (0 = the configured default) and installs the backend. */
    public static CpuSession open(String device, int threads) {
        String d = device == null ? "cpu" : device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("opencl")) {
            throw new UserError("--device opencl is not supported for training and evaluation yet: the layers run on the "
                    + "CPU backend only; use --device cpu ('rankfold devices' lists OpenCL devices)");
        }
        if (!d.equals("cpu")) {
            throw new UserError("--device must be cpu or opencl, got '" + device + "'");
        }
        if (threads < 0 || threads > 1024) {
            throw new UserError("--threads must be between 1 and 1024 (0 for the default), got " + threads);
        }
        Backend previous = Backends.current();
        CpuBackend backend = new CpuBackend(threads == 0 ? CpuBackend.configuredThreads() : threads);
        Backends.setCurrent(backend);
        return new CpuSession(previous, backend);
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
