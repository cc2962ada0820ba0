package org.rankfold.kernels.cpu.gemm.lab;

import org.rankfold.kernels.cpu.gemm.MicroKernel;
import org.rankfold.kernels.cpu.gemm.MicroKernelContract;

class MicroKernel14x32Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel14x32();
    }
}
