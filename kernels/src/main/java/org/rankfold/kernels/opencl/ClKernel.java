package org.rankfold.kernels.opencl;

import java.lang.foreign.MemorySegment;

import org.rankfold.kernels.opencl.bindings.ClConstants;

/**
 * A built {@code __kernel} function, owned and released by the {@link ProgramCache} that made it.
 * Setting arguments and enqueueing happen under this object's lock ({@code cl_kernel} argument state is
 * shared), see {@link KernelLauncher}.
 */
public final class ClKernel {
    private final String name;
    private final MemorySegment handle;
    private final long maxWorkGroupSize;

    ClKernel(OpenClContext context, String name, MemorySegment handle) {
        this.name = name;
        this.handle = handle;
        this.maxWorkGroupSize = context.cl().kernelWorkGroupInfo(handle, context.device().handle(),
                ClConstants.CL_KERNEL_WORK_GROUP_SIZE);
    }

    public String name() {
        return name;
    }

    /** The largest work-group this kernel can run with on its device (CL_KERNEL_WORK_GROUP_SIZE). */
    public long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    MemorySegment handle() {
        return handle;
    }

    @Override
    public String toString() {
        return name;
    }
}
