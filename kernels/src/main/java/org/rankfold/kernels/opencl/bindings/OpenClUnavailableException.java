package org.rankfold.kernels.opencl.bindings;

/** No usable OpenCL: the loader library is absent, or it lists no platform or no device. */
public final class OpenClUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public OpenClUnavailableException(String reason) {
        super(reason);
    }

    public OpenClUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
