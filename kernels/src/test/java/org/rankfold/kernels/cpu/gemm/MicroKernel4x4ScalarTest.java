package org.rankfold.kernels.cpu.gemm;

class MicroKernel4x4ScalarTest extends MicroKernelContract {
    @Override
    protected MicroKernel kernel() {
        return new MicroKernel4x4Scalar();
    }
}
