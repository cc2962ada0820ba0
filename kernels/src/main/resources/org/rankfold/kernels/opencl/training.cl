// Kernels of device-resident training (engine package device): batched im2col/col2im, the (A, B, P) ->
// (B, A, P) swap that moves between a GEMM's (OC, N*P) result and the (N, OC, P) activation layout,
// ReLU and residual gradients with overwrite semantics, and the per-channel steps of BatchNorm.
// Every kernel has one work-item per output element and returns early past the end (the global size is
// rounded up). FP_CONTRACT OFF: no silent fused multiply-adds, as in elementwise.cl.
#pragma OPENCL FP_CONTRACT OFF

// x is (N, C, H, W); cols is (C*KH*KW, N*OH*OW): row r = (c*KH + p)*KW + q, column i*OH*OW + oh*OW + ow,
// cols[r][i*P + oh*OW + ow] = x[i][c][oh*SH - PH + p*DH][ow*SW - PW + q*DW], zero in the padding.
// With all N images in the columns, a convolution is one GEMM (OC, C*KH*KW) x (C*KH*KW, N*OH*OW).
__kernel void im2col_batched(const int N, const __global float* restrict x, const long xOffset,
                             __global float* restrict cols, const long colsOffset,
                             const int C, const int H, const int W, const int KH, const int KW,
                             const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                             const int OH, const int OW)
{
    const long id = get_global_id(0);
    const long plane = (long) OH * OW;
    const long width = (long) N * plane;
    if (id >= (long) C * KH * KW * width) {
        return;
    }
    const int r = (int) (id / width);
    const long col = id - (long) r * width;
    const int i = (int) (col / plane);
    const int o = (int) (col - (long) i * plane);
    const int oh = o / OW;
    const int ow = o - oh * OW;
    const int q = r % KW;
    const int p = (r / KW) % KH;
    const int c = r / (KW * KH);
    const int h = oh * SH - PH + p * DH;
    const int w = ow * SW - PW + q * DW;
    const bool inside = h >= 0 && h < H && w >= 0 && w < W;
    cols[colsOffset + id] = inside ? x[xOffset + (((long) i * C + c) * H + h) * W + w] : 0.0f;
}

// The adjoint of im2col_batched: dx[i][c][h][w] = sum of the cols entries that read x[i][c][h][w]
// (overwritten, not accumulated). One work-item per element of dx gathers them, so no atomics.
__kernel void col2im_batched(const int N, const __global float* restrict cols, const long colsOffset,
                             __global float* restrict dx, const long dxOffset,
                             const int C, const int H, const int W, const int KH, const int KW,
                             const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                             const int OH, const int OW)
{
    const long id = get_global_id(0);
    const long image = (long) C * H * W;
    if (id >= (long) N * image) {
        return;
    }
    const int i = (int) (id / image);
    const long rest = id - (long) i * image;
    const int w = (int) (rest % W);
    const int h = (int) ((rest / W) % H);
    const int c = (int) (rest / ((long) H * W));
    const long plane = (long) OH * OW;
    const long width = (long) N * plane;
    float sum = 0.0f;
    for (int p = 0; p < KH; p++) {
        const int hh = h + PH - p * DH;
        if (hh < 0 || hh % SH != 0 || hh / SH >= OH) {
            continue;
        }
        const int oh = hh / SH;
        for (int q = 0; q < KW; q++) {
            const int ww = w + PW - q * DW;
            if (ww < 0 || ww % SW != 0 || ww / SW >= OW) {
                continue;
            }
            const long r = ((long) c * KH + p) * KW + q;
            sum += cols[colsOffset + r * width + (long) i * plane + (long) oh * OW + ww / SW];
        }
    }
    dx[dxOffset + id] = sum;
}

// in is (A, B, P), out is (B, A, P): out[b][a][p] = in[a][b][p].
__kernel void swap01(const int A, const int B, const int P, const __global float* restrict in, const long inOffset,
                     __global float* restrict out, const long outOffset)
{
    const long id = get_global_id(0);
    if (id >= (long) A * B * P) {
        return;
    }
    const int p = (int) (id % P);
    const long ba = id / P;
    const int a = (int) (ba % A);
    const int b = (int) (ba / A);
    out[outOffset + id] = in[inOffset + ((long) a * B + b) * P + p];
}

// dx = y > 0 ? dy : 0 with y = max(0, x) the ReLU's output (y > 0 exactly when x > 0); overwritten.
__kernel void relu_grad(const long n, const __global float* y, const __global float* dy, __global float* dx)
{
    const long i = get_global_id(0);
    if (i < n) {
        dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
    }
}

// out = max(0, a + b): the end of a residual block. out may alias a or b.
__kernel void add_relu(const long n, const __global float* a, const __global float* b, __global float* out)
{
    const long i = get_global_id(0);
    if (i < n) {
        const float v = a[i] + b[i];
        out[i] = v > 0.0f ? v : 0.0f;
    }
}

// out = a + b. out may alias a or b.
__kernel void add(const long n, const __global float* a, const __global float* b, __global float* out)
{
    const long i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] + b[i];
    }
}

// out = a * b (dropout's mask). out may alias a or b.
__kernel void mul(const long n, const __global float* a, const __global float* b, __global float* out)
{
    const long i = get_global_id(0);
    if (i < n) {
        out[i] = a[i] * b[i];
    }
}

// BatchNorm training, step 1 of the two-pass statistics (m = N*H*W values per channel):
// negMean = -sums/m; runningMean = (1 - momentum) * runningMean + momentum * sums/m (PyTorch).
__kernel void bn_mean(const int C, const float m, const float momentum, const __global float* restrict sums,
                      __global float* restrict negMean, __global float* restrict runningMean)
{
    const int c = get_global_id(0);
    if (c < C) {
        const float mean = sums[c] / m;
        negMean[c] = -mean;
        runningMean[c] = (1.0f - momentum) * runningMean[c] + momentum * mean;
    }
}

// Step 2, from sq = sum of (x - mean)^2: var = sq/m (biased, normalizes), invStd = 1/sqrt(var + eps);
// the running variance takes the unbiased var * m/(m-1) (PyTorch).
__kernel void bn_invstd(const int C, const float m, const float momentum, const float eps,
                        const __global float* restrict sq, __global float* restrict invStd,
                        __global float* restrict runningVar)
{
    const int c = get_global_id(0);
    if (c < C) {
        const float var = sq[c] / m;
        invStd[c] = 1.0f / sqrt(var + eps);
        runningVar[c] = (1.0f - momentum) * runningVar[c] + momentum * (var * m / (m - 1.0f));
    }
}

// x, dy, dx are (N, C, HW): dx = gamma*invStd * (dy - dbeta/m - xhat * dgamma/m) (Ioffe and Szegedy 2015,
// reduced), with dbeta = sum dy and dgamma = sum dy*xhat per channel; overwritten.
__kernel void bn_backward_dx(const long n, const int C, const int HW, const float m,
                             const __global float* restrict dy, const __global float* restrict xhat,
                             const __global float* restrict gamma, const __global float* restrict invStd,
                             const __global float* restrict dgamma, const __global float* restrict dbeta,
                             __global float* restrict dx)
{
    const long i = get_global_id(0);
    if (i < n) {
        const int c = (int) ((i / HW) % C);
        const float t = dy[i] - dbeta[c] / m - xhat[i] * (dgamma[c] / m);
        dx[i] = gamma[c] * invStd[c] * t;
    }
}

// BatchNorm evaluation as a per-channel affine map: scale = gamma/sqrt(runningVar + eps),
// shift = beta - runningMean * scale.
__kernel void bn_eval_coeffs(const int C, const float eps, const __global float* restrict gamma,
                             const __global float* restrict beta, const __global float* restrict runningMean,
                             const __global float* restrict runningVar, __global float* restrict scale,
                             __global float* restrict shift)
{
    const int c = get_global_id(0);
    if (c < C) {
        const float s = gamma[c] * (1.0f / sqrt(runningVar[c] + eps));
        scale[c] = s;
        shift[c] = beta[c] - runningMean[c] * s;
    }
}

// The transpose of im2col_batched: colsT is (N*OH*OW, C*KH*KW), colsT[i*P + o][r] = cols[r][i*P + o].
// The weight gradient dW = dY' colsT is then a GEMM without transposed operands.
__kernel void im2col_batched_t(const int N, const __global float* restrict x, const long xOffset,
                               __global float* restrict colsT, const long colsOffset,
                               const int C, const int H, const int W, const int KH, const int KW,
                               const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                               const int OH, const int OW)
{
    const long id = get_global_id(0);
    const int R = C * KH * KW;
    const long plane = (long) OH * OW;
    if (id >= (long) N * plane * R) {
        return;
    }
    const long col = id / R;
    const int r = (int) (id - col * R);
    const int i = (int) (col / plane);
    const int o = (int) (col - (long) i * plane);
    const int oh = o / OW;
    const int ow = o - oh * OW;
    const int q = r % KW;
    const int p = (r / KW) % KH;
    const int c = r / (KW * KH);
    const int h = oh * SH - PH + p * DH;
    const int w = ow * SW - PW + q * DW;
    const bool inside = h >= 0 && h < H && w >= 0 && w < W;
    colsT[colsOffset + id] = inside ? x[xOffset + (((long) i * C + c) * H + h) * W + w] : 0.0f;
}
