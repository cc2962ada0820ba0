package org.rankfold.kernels.cpu.gemm;

class MicroKernel8x32Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel8x32();
    }
}
