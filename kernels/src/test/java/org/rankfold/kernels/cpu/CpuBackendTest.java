package org.rankfold.kernels.cpu;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendContract;

/**
 * The CPU backend meets the contract at every vector width (0 = scalar, 128, 256, 512 bits) with three
 * threads, so the parallel splits of GEMM and of the other kernels are exercised too.
 */
@ParameterizedClass
@EnumSource(SimdWidth.class)
class CpuBackendTest extends BackendContract {
    @Parameter
    SimdWidth width;

    private CpuBackend cpu;

    @Override
    protected Backend createBackend() {
        cpu = new CpuBackend(3, width);
        return cpu;
    }

    @Override
    protected int tileRows() {
        return cpu.gemmEngine().config().mr();
    }

    @Override
    protected int tileCols() {
        return cpu.gemmEngine().config().nr();
    }

    @Override
    protected int blockDepth() {
        return cpu.gemmEngine().config().kc();
    }
}
