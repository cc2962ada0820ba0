package org.rankfold.kernels.cpu.gemm;

class MicroKernel14x32Test extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel14x32();
    }
}
