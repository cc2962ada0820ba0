package org.rankfold.engine.device;

import org.rankfold.engine.nn.Conv2d;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.opencl.DeviceBuffer;
import org.rankfold.kernels.opencl.OpenClRuntime;

/**
 * {@link Conv2d} on the device, as batched im2col + one GEMM per chunk of images. x is (n, C, H, W),
 * W (OC, C*KH*KW) row-major, cols (C*KH*KW, nc*P) for a chunk of nc images with P = OH*OW:
 * <pre>
 *   forward:  Y' = W cols (OC, nc*P), then y[i][oc][p] = Y'[oc][i*P + p] (swap), + bias[oc]
 *   backward: dY' = swap(dy) (OC, nc*P); dW += dY' colsT (colsT = cols^T built directly, so an NN GEMM);
 *             dcols = W^T dY' (TN); dx = col2im(dcols)
 * </pre>
 * db = sum of dy over images and pixels. Chunks bound the column buffer to {@link #COLUMN_LIMIT} floats;
 * dW accumulates over chunks (beta = 1 after the first). The columns are recomputed in backward rather
 * than kept, so all convolutions share three scratch buffers.
 */
final class ConvLayer extends DeviceLayer {
    /** Largest column (or channel-major result) buffer of one chunk, in floats: 32 Mi floats = 128 MiB. */
    static final long COLUMN_LIMIT = 32L << 20;
    private final Scratch scratch;
    private final DeviceParameter weight;
    private final DeviceParameter bias;
    private final Conv2dGeometry g;
    private final int outChannels;
    private final int chunk;
    private final DeviceBuffer y;
    private DeviceBuffer dx;
    private DeviceBuffer x;

    ConvLayer(OpenClRuntime rt, Scratch scratch, ParameterStore store, String name, Conv2d conv, int[] in, int capacity,
              long columnLimit) {
        super(rt, name, requireRank(name, "Conv2d", in, 3), conv.outputShape(in), capacity);
        if (in[0] != conv.inChannels()) {
            throw new IllegalArgumentException("layer '" + name + "' (" + conv + ") gets " + in[0] + " input channels");
        }
        this.scratch = scratch;
        this.weight = store.of(conv.weight());
        this.bias = conv.bias() == null ? null : store.of(conv.bias());
        this.g = conv.spec().geometry(in[0], in[1], in[2]);
        this.outChannels = conv.outChannels();
        // the columns and the channel-major result (OC, nc*P) both stay under the limit
        long perImage = (long) Math.max(g.colRows(), outChannels) * g.colCols();
        this.chunk = (int) Math.max(1, Math.min(capacity, columnLimit / Math.max(1, perImage)));
        this.y = allocate(capacity * outSize());
    }

    @Override
    DeviceBuffer forward(DeviceBuffer input, int n, boolean training) {
        this.x = input;
        int p = g.colCols();
        int rows = g.colRows();
        for (int i0 = 0; i0 < n; i0 += chunk) {
            int nc = Math.min(chunk, n - i0);
            DeviceBuffer cols = scratch.get(0, (long) rows * nc * p);
            DeviceBuffer ymat = scratch.get(1, (long) outChannels * nc * p);
            rt.training().im2colBatched(g, nc, input, i0 * inSize(), cols, 0);
            rt.gemm().gemm(Transpose.NO, Transpose.NO, outChannels, nc * p, rows, 1f, weight.value(), 0, rows,
                    cols, 0, nc * p, 0f, ymat, 0, nc * p);
            rt.training().swap01(outChannels, nc, p, ymat, 0, y, i0 * outSize());
        }
        if (bias != null) {
            rt.elementwise().biasRelu(n, outChannels, p, y, 0, bias.value(), y, 0, false);
        }
        return y;
    }

    @Override
    DeviceBuffer backward(DeviceBuffer dy, int n, boolean needInputGrad) {
        int p = g.colCols();
        int rows = g.colRows();
        if (needInputGrad && dx == null) {
            dx = allocate(capacity * inSize());
        }
        for (int i0 = 0; i0 < n; i0 += chunk) {
            int nc = Math.min(chunk, n - i0);
            DeviceBuffer dymat = scratch.get(0, (long) outChannels * nc * p);
            DeviceBuffer cols = scratch.get(1, (long) rows * nc * p);
            rt.training().swap01(nc, outChannels, p, dy, i0 * outSize(), dymat, 0);
            rt.training().im2colBatchedTransposed(g, nc, x, i0 * inSize(), cols, 0);
            rt.gemm().gemm(Transpose.NO, Transpose.NO, outChannels, rows, nc * p, 1f, dymat, 0, nc * p,
                    cols, 0, rows, i0 == 0 ? 0f : 1f, weight.grad(), 0, rows);
            if (needInputGrad) {
                DeviceBuffer dcols = scratch.get(2, (long) rows * nc * p);
                rt.gemm().gemm(Transpose.YES, Transpose.NO, rows, nc * p, outChannels, 1f, weight.value(), 0, rows,
                        dymat, 0, nc * p, 0f, dcols, 0, nc * p);
                rt.training().col2imBatched(g, nc, dcols, 0, dx, i0 * inSize());
            }
        }
        if (bias != null) {
            rt.channels().channelSums(n, outChannels, p, dy, 0, bias.grad(), 0);
        }
        return needInputGrad ? dx : null;
    }
}
