package org.rankfold.kernels.cpu.gemm;

/**
 * A matrix whose columns come in blocks stored apart: element (r, j) is at
 * {@code data[offset + (j / block) * blockStride + r * ld + j % block]}. With block = OH*OW, ld = OH*OW and
 * blockStride = OC*OH*OW this is the (OC, images*OH*OW) view of a batch of convolution outputs
 * (images, OC, OH*OW): the GEMM reads the activations where they lie instead of a transposed copy.
 */
record BlockedRows(float[] data, int offset, int block, int blockStride, int ld) implements RowSource {

    @Override
    public void row(int r, int c0, int len, float[] dst, int d) {
        int j = c0;
        int end = c0 + len;
        int blk = j / block;
        int e = j - blk * block;
        // one contiguous piece per block the segment touches
        while (j < end) {
            int run = Math.min(block - e, end - j);
            System.arraycopy(data, offset + blk * blockStride + r * ld + e, dst, d + j - c0, run);
            j += run;
            blk++;
            e = 0;
        }
    }
}
