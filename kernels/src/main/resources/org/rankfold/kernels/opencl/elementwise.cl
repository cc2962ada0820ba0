// Element-wise ops on n consecutive floats, one work-item per element (the global size is rounded up,
// so each kernel returns early past n). Outputs may alias inputs at the same offset, hence no restrict.
// FP_CONTRACT OFF: no silent fused multiply-adds, so results equal the Java reference bit for bit.
#pragma OPENCL FP_CONTRACT OFF

// y += x
__kernel void add_inplace(const long n, const __global float* x, const long xOffset,
                          __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        y[yOffset + i] += x[xOffset + i];
    }
}

// y += alpha * x
__kernel void axpy(const long n, const float alpha, const __global float* x, const long xOffset,
                   __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        y[yOffset + i] += alpha * x[xOffset + i];
    }
}

// y = alpha * x
__kernel void scale(const long n, const float alpha, const __global float* x, const long xOffset,
                    __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        y[yOffset + i] = alpha * x[xOffset + i];
    }
}

// y = max(0, x); NaN maps to 0 like the reference (the comparison is false).
__kernel void relu(const long n, const __global float* x, const long xOffset,
                   __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        const float v = x[xOffset + i];
        y[yOffset + i] = v > 0.0f ? v : 0.0f;
    }
}

// dx += (x > 0 ? dy : 0), x the ReLU's input; the gradient at exactly 0 is 0 (PyTorch's convention).
__kernel void relu_backward(const long n, const __global float* x, const long xOffset,
                            const __global float* dy, const long dyOffset,
                            __global float* dx, const long dxOffset)
{
    const long i = get_global_id(0);
    if (i < n && x[xOffset + i] > 0.0f) {
        dx[dxOffset + i] += dy[dyOffset + i];
    }
}

// x, y are (N, C, HW): y = x + bias[c], then max(0, .) when relu != 0. bias may be NULL (hasBias == 0).
__kernel void bias_relu(const long n, const int C, const int HW, const __global float* x, const long xOffset,
                        const __global float* bias, const int hasBias, const int relu,
                        __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        const int c = (int) ((i / HW) % C);
        const float v = x[xOffset + i] + (hasBias ? bias[c] : 0.0f);
        y[yOffset + i] = (relu && !(v > 0.0f)) ? 0.0f : v;
    }
}

// x, y are (N, C, HW): y = x * scale[c] + shift[c]; a NULL scale (hasScale == 0) means 1, NULL shift 0.
__kernel void channel_affine(const long n, const int C, const int HW, const __global float* x, const long xOffset,
                             const __global float* scale, const int hasScale,
                             const __global float* shift, const int hasShift,
                             __global float* y, const long yOffset)
{
    const long i = get_global_id(0);
    if (i < n) {
        const int c = (int) ((i / HW) % C);
        const float s = hasScale ? scale[c] : 1.0f;
        const float t = hasShift ? shift[c] : 0.0f;
        y[yOffset + i] = x[xOffset + i] * s + t;
    }
}
