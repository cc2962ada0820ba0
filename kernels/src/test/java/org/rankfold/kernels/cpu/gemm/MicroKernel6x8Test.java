package org.rankfold.kernels.cpu.gemm;

class MicroKernel6x8Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel6x8();
    }
}
