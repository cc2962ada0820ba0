package org.rankfold.kernels.opencl.bindings;

/**
 * An OpenCL call returned an error status. The message names the call and the code
 * ({@code clEnqueueNDRangeKernel failed: CL_OUT_OF_RESOURCES (-5)}) and, for a failed program build,
 * carries the compiler's build log.
 */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final String buildLog;

    public OpenClException(String call, int status, String buildLog) {
        super(call + " failed: " + ClStatus.name(status) + " (" + status + ")"
                + (buildLog == null || buildLog.isBlank() ? "" : "\nbuild log:\n" + buildLog.strip()));
        this.call = call;
        this.status = status;
        this.buildLog = buildLog;
    }

    /** The OpenCL function that failed, e.g. {@code clBuildProgram}. */
    public String call() {
        return call;
    }

    /** The raw status code. */
    public int status() {
        return status;
    }

    /** The status code's name, e.g. {@code CL_BUILD_PROGRAM_FAILURE}. */
    public String statusName() {
        return ClStatus.name(status);
    }

    /** The build log for a failed program build, or null. */
    public String buildLog() {
        return buildLog;
    }
}
