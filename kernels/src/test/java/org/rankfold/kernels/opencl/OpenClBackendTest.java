package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendContract;

/**
 * The OpenCL backend (host-array path) meets the backend contract on the test device (PoCL in CI),
 * with the GEMM edge sweep sized to its tiling: M over 1..2*tileM+1, N around tileN, K around tileK.
 * Skipped, with the reason printed, when there is no OpenCL device.
 */
class OpenClBackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return OpenClBackend.borrowing(OpenClTestDevice.runtime());
    }

    @Override
    protected int tileRows() {
        return OpenClTestDevice.runtime().gemm().tiling().tileM();
    }

    @Override
    protected int tileCols() {
        return OpenClTestDevice.runtime().gemm().tiling().tileN();
    }

    @Override
    protected int blockDepth() {
        return OpenClTestDevice.runtime().gemm().tiling().tileK();
    }
}
