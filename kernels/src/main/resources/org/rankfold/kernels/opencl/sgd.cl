// SGD with momentum, PyTorch's torch.optim.SGD semantics (documented algorithm, PyTorch 2.x):
//   d = g + weightDecay * w
//   if momentum != 0: buf = firstStep ? d : momentum * buf + (1 - dampening) * d
//                     d = nesterov ? d + momentum * buf : buf
//   w = w - lr * d
// w, g, buf are n consecutive floats; w and buf are modified. One work-item per element.
#pragma OPENCL FP_CONTRACT OFF

__kernel void sgd_momentum(const long n, __global float* restrict w, const long wOffset,
                           const __global float* restrict g, const long gOffset,
                           __global float* restrict buf, const long bufOffset,
                           const float lr, const float momentum, const float dampening, const float weightDecay,
                           const int nesterov, const int firstStep)
{
    const long i = get_global_id(0);
    if (i >= n) {
        return;
    }
    const float wi = w[wOffset + i];
    float d = g[gOffset + i];
    if (weightDecay != 0.0f) {
        d = d + weightDecay * wi;
    }
    if (momentum != 0.0f) {
        float b = firstStep ? d : momentum * buf[bufOffset + i] + (1.0f - dampening) * d;
        buf[bufOffset + i] = b;
        d = nesterov ? d + momentum * b : b;
    }
    w[wOffset + i] = wi - lr * d;
}
