package org.rankfold.kernels.opencl;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.opencl.bindings.ClStatus;
import org.rankfold.kernels.opencl.bindings.OpenCl;
import org.rankfold.kernels.opencl.bindings.OpenClException;
import org.rankfold.kernels.opencl.bindings.OpenClUnavailableException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors name the call and the code; a failed build carries its log; a missing library says why. */
class OpenClErrorsTest {

    @Test
    void statusNamesComeFromTheHeader() {
        assertEquals("CL_OUT_OF_RESOURCES", ClStatus.name(-5));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", ClStatus.name(-11));
        assertEquals("CL_INVALID_KERNEL_NAME", ClStatus.name(-46));
        assertEquals("CL_INVALID_WORK_GROUP_SIZE", ClStatus.name(-54));
        assertEquals("CL_PLATFORM_NOT_FOUND_KHR", ClStatus.name(-1001));
        assertEquals("CL_UNKNOWN_ERROR(-999)", ClStatus.name(-999));
        OpenClException e = assertThrows(OpenClException.class, () -> ClStatus.check("clFinish", -36));
        assertEquals("clFinish failed: CL_INVALID_COMMAND_QUEUE (-36)", e.getMessage());
        ClStatus.check("clFinish", 0);
    }

    @Test
    void missingLibraryIsReportedWithTheReason() {
        OpenClUnavailableException e = assertThrows(OpenClUnavailableException.class,
                () -> OpenCl.load("libNoSuchOpenCL.so.9"));
        assertTrue(e.getMessage().contains("libNoSuchOpenCL.so.9") && e.getMessage().contains("install"),
                e.getMessage());
    }

    @Test
    void buildFailureCarriesTheBuildLog() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        OpenClException e = assertThrows(OpenClException.class,
                () -> rt.programs().kernel("broken_for_test", "", "broken"));
        assertEquals("clBuildProgram", e.call());
        assertEquals("CL_BUILD_PROGRAM_FAILURE", e.statusName());
        assertTrue(e.buildLog() != null && e.buildLog().contains("undeclared_identifier_in_broken_for_test"),
                "the build log names the culprit: " + e.buildLog());
        assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE") && e.getMessage().contains("build log"),
                e.getMessage());
    }

    @Test
    void unknownKernelNameIsNamed() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        OpenClException e = assertThrows(OpenClException.class,
                () -> rt.programs().kernel("elementwise", "", "no_such_kernel"));
        assertEquals("CL_INVALID_KERNEL_NAME", e.statusName());
        assertTrue(e.getMessage().startsWith("clCreateKernel(no_such_kernel) failed"), e.getMessage());
    }

    @Test
    void missingSourceResourceIsNamed() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rt.programs().kernel("no_such_source", "", "k"));
        assertTrue(e.getMessage().contains("no_such_source.cl"), e.getMessage());
    }

    @Test
    void outOfRangeOperandsAreRejectedBeforeTheDevice() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        try (DeviceBuffer small = rt.buffers().allocate(10);
             DeviceBuffer other = rt.buffers().allocate(10)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rt.elementwise().addInPlace(8, small, 3, other, 0));
            assertTrue(e.getMessage().contains("[3, 11)") && e.getMessage().contains("10 elements"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> small.write(8, new float[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> small.read(0, new float[4], 2, 4));
        }
    }

    @Test
    void closedBufferCannotBeUsed() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        DeviceBuffer b = rt.buffers().allocate(4);
        b.close();
        b.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> b.write(0, new float[1], 0, 1));
    }
}
