package org.rankfold.kernels.cpu.gemm;

class MicroKernel12x32Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel12x32();
    }
}
