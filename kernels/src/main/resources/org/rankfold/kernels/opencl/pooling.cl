// Max and average pooling (PyTorch's max_pool2d / avg_pool2d, ceil_mode off). P planes (N*C):
// x is (P, H, W), y and argmax are (P, OH, OW), row-major. Window of output (oh, ow): rows
// oh*SH - PH + p*DH, columns ow*SW - PW + q*DW for p < KH, q < KW. Backward passes gather (one
// work-item per input element, no atomics, deterministic): input row h is row p of window oh when
// h + PH - p*DH = oh*SH with 0 <= oh < OH.
#ifdef RANKFOLD_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

// y = window maximum, argmax = h*W + w of the first maximum in row-major window order (padding is -inf;
// a NaN wins and propagates, as in PyTorch). A window entirely in padding gives -inf and argmax -1.
__kernel void max_pool_forward(const int P, const int H, const int W, const int KH, const int KW,
                               const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                               const int OH, const int OW,
                               const __global float* restrict x, const long xOffset,
                               __global float* restrict y, const long yOffset,
                               __global int* restrict argmax, const long argmaxOffset)
{
    const long id = get_global_id(0);
    const long outPlane = (long) OH * OW;
    if (id >= (long) P * outPlane) {
        return;
    }
    const long plane = id / outPlane;
    const int o = (int) (id - plane * outPlane);
    const int oh = o / OW;
    const int ow = o - oh * OW;
    const __global float* xp = x + xOffset + plane * H * W;
    float best = -INFINITY;
    int bestIndex = -1;
    for (int p = 0; p < KH; p++) {
        const int h = oh * SH - PH + p * DH;
        if (h < 0 || h >= H) {
            continue;
        }
        for (int q = 0; q < KW; q++) {
            const int w = ow * SW - PW + q * DW;
            if (w < 0 || w >= W) {
                continue;
            }
            const float v = xp[h * W + w];
            if (bestIndex < 0 || v > best || isnan(v)) {
                best = v;
                bestIndex = h * W + w;
            }
        }
    }
    y[yOffset + id] = best;
    argmax[argmaxOffset + id] = bestIndex;
}

// dx[plane][h][w] += sum of dy over the windows whose argmax is (h, w).
__kernel void max_pool_backward(const int P, const int H, const int W, const int KH, const int KW,
                                const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                                const int OH, const int OW,
                                const __global float* restrict dy, const long dyOffset,
                                const __global int* restrict argmax, const long argmaxOffset,
                                __global float* restrict dx, const long dxOffset)
{
    const long id = get_global_id(0);
    const long inPlane = (long) H * W;
    if (id >= (long) P * inPlane) {
        return;
    }
    const long plane = id / inPlane;
    const int index = (int) (id - plane * inPlane);
    const int h = index / W;
    const int w = index - h * W;
    const long outBase = plane * OH * OW;
    float sum = 0.0f;
    for (int p = KH - 1; p >= 0; p--) {
        const int hh = h + PH - p * DH;
        if (hh < 0 || hh % SH != 0 || hh / SH >= OH) {
            continue;
        }
        const int oh = hh / SH;
        for (int q = KW - 1; q >= 0; q--) {
            const int ww = w + PW - q * DW;
            if (ww < 0 || ww % SW != 0 || ww / SW >= OW) {
                continue;
            }
            const long o = outBase + (long) oh * OW + ww / SW;
            if (argmax[argmaxOffset + o] == index) {
                sum += dy[dyOffset + o];
            }
        }
    }
    dx[dxOffset + id] += sum;
}

// PyTorch's divisor: with countIncludePad the window clipped to the padded input, else the number of
// real input elements in it.
int avg_divisor(const int oh, const int ow, const int H, const int W, const int KH, const int KW,
                       const int SH, const int SW, const int PH, const int PW, const int countIncludePad)
{
    const int h0 = oh * SH - PH;
    const int w0 = ow * SW - PW;
    if (countIncludePad) {
        return (min(h0 + KH, H + PH) - h0) * (min(w0 + KW, W + PW) - w0);
    }
    return (min(H, h0 + KH) - max(0, h0)) * (min(W, w0 + KW) - max(0, w0));
}

// y = mean of the window (no dilation).
__kernel void avg_pool_forward(const int P, const int H, const int W, const int KH, const int KW,
                               const int SH, const int SW, const int PH, const int PW,
                               const int OH, const int OW, const int countIncludePad,
                               const __global float* restrict x, const long xOffset,
                               __global float* restrict y, const long yOffset)
{
    const long id = get_global_id(0);
    const long outPlane = (long) OH * OW;
    if (id >= (long) P * outPlane) {
        return;
    }
    const long plane = id / outPlane;
    const int o = (int) (id - plane * outPlane);
    const int oh = o / OW;
    const int ow = o - oh * OW;
    const __global float* xp = x + xOffset + plane * H * W;
    const int h0 = oh * SH - PH;
    const int w0 = ow * SW - PW;
    acc_t sum = 0;
    for (int h = max(0, h0); h < min(H, h0 + KH); h++) {
        for (int w = max(0, w0); w < min(W, w0 + KW); w++) {
            sum += xp[h * W + w];
        }
    }
    y[yOffset + id] = (float) (sum / avg_divisor(oh, ow, H, W, KH, KW, SH, SW, PH, PW, countIncludePad));
}

// dx[plane][h][w] += sum over the windows containing (h, w) of dy / divisor.
__kernel void avg_pool_backward(const int P, const int H, const int W, const int KH, const int KW,
                                const int SH, const int SW, const int PH, const int PW,
                                const int OH, const int OW, const int countIncludePad,
                                const __global float* restrict dy, const long dyOffset,
                                __global float* restrict dx, const long dxOffset)
{
    const long id = get_global_id(0);
    const long inPlane = (long) H * W;
    if (id >= (long) P * inPlane) {
        return;
    }
    const long plane = id / inPlane;
    const int index = (int) (id - plane * inPlane);
    const int h = index / W;
    const int w = index - h * W;
    const long outBase = plane * OH * OW;
    float sum = 0.0f;
    for (int p = KH - 1; p >= 0; p--) {
        const int hh = h + PH - p;
        if (hh < 0 || hh % SH != 0 || hh / SH >= OH) {
            continue;
        }
        const int oh = hh / SH;
        for (int q = KW - 1; q >= 0; q--) {
            const int ww = w + PW - q;
            if (ww < 0 || ww % SW != 0 || ww / SW >= OW) {
                continue;
            }
            const int ow = ww / SW;
            const float d = dy[dyOffset + outBase + (long) oh * OW + ow];
            sum += d / (float) avg_divisor(oh, ow, H, W, KH, KW, SH, SW, PH, PW, countIncludePad);
        }
    }
    dx[dxOffset + id] += sum;
}
