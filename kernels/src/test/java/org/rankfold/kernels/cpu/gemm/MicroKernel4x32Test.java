package org.rankfold.kernels.cpu.gemm;

class MicroKernel4x32Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel4x32();
    }
}
