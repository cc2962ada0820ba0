package org.rankfold.engine.ops;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolution's data gradient runs in sub-chunks of its chunks (cols small enough for the L2 cache): the
 * input gradient equals, bit for bit, one data-gradient GEMM and one col2im over all the chunk's images.
 */
class Conv2dDataGradChunkTest extends SeededTest {

    @Test
    void subChunksGiveTheSameInputGradientAsOneGemmPerChunk() {
        ConvSpec spec = ConvSpec.square(3, 1, 1, 1);
        int n = 3;
        // 24 input and 2 output channels: a data gradient the CPU backend runs through cols and col2im (with
        // K' = 2*9 < 24 its padded grid does not pay, ConvDataGradTest)
        int c = 24;
        int oc = 2;
        int size = 16;
        Conv2dGeometry g = spec.geometry(c, size, size);
        assertTrue(!Backends.current().convDataGradInPlace(g, oc));
        // the case under test: one chunk of three images, its data gradient one image at a time
        assertEquals(1, Conv2dOp.chunkCount(g, false, n));
        assertTrue(Conv2dOp.dataGradImages(g, n) < n, "sub-chunks smaller than the chunk");

        SplittableRandom rng = random();
        Tensor x = Tensor.randn(rng, n, c, size, size).requiresGrad(true);
        Tensor w = Tensor.randn(rng, oc, c, 3, 3).requiresGrad(true);
        float[] dout = Tensor.randn(rng, n, oc, size, size).data();
        Conv2dOp.forward(x, w, null, spec).backward(dout.clone());

        Backend be = Backends.current();
        float[] cols = new float[g.colRows() * n * g.colCols()];
        be.convDataCols(g, n, oc, w.data(), 0, dout, 0, cols, 0);
        float[] dx = new float[n * g.inputSize()];
        be.col2imBatch(g, n, cols, 0, dx, 0);
        assertArrayEquals(dx, x.grad());
    }

    @Test
    void subChunksHoldAtLeastOneImageAndAtMostTheChunk() {
        Conv2dGeometry big = ConvSpec.square(3, 1, 1, 1).geometry(256, 64, 64);
        assertEquals(1, Conv2dOp.dataGradImages(big, 5), "an image larger than the budget goes alone");
        Conv2dGeometry small = ConvSpec.square(3, 1, 1, 1).geometry(2, 4, 4);
        assertEquals(7, Conv2dOp.dataGradImages(small, 7), "never more than the chunk");
    }
}
