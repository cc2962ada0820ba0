// Softmax cross-entropy with mean reduction. logits, logProbs, dlogits are (N, classes) row-major;
// labels[i] in [0, classes).
// logProbs[i][k] = z_ik - m_i - log(sum_k exp(z_ik - m_i)), m_i = max_k z_ik (subtracting the maximum
// keeps exp from overflowing); rowLoss[i] = -logProbs[i][labels[i]]; the host averages rowLoss.
// dloss/dz_ik = scale * (softmax_ik - [k == labels[i]]) / N.
#ifdef RANKFOLD_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif

// One work-item per row; a label outside [0, classes) gives a NaN row loss (the host checks labels it
// uploads itself).
__kernel void softmax_xent_forward(const int N, const int classes,
                                   const __global float* restrict logits, const long logitsOffset,
                                   const __global int* restrict labels, const long labelsOffset,
                                   __global float* restrict logProbs, const long logProbsOffset,
                                   __global float* restrict rowLoss, const long rowLossOffset)
{
    const int i = get_global_id(0);
    if (i >= N) {
        return;
    }
    const __global float* z = logits + logitsOffset + (long) i * classes;
    __global float* lp = logProbs + logProbsOffset + (long) i * classes;
    acc_t m = -INFINITY;
    for (int k = 0; k < classes; k++) {
        m = max(m, (acc_t) z[k]);
    }
    acc_t sumExp = 0;
    for (int k = 0; k < classes; k++) {
        sumExp += exp((acc_t) z[k] - m);
    }
    const acc_t logSum = m + log(sumExp);
    for (int k = 0; k < classes; k++) {
        lp[k] = (float) ((acc_t) z[k] - logSum);
    }
    const int label = labels[labelsOffset + i];
    rowLoss[rowLossOffset + i] = (label >= 0 && label < classes) ? (float) (logSum - (acc_t) z[label]) : NAN;
}

// One work-item per element.
__kernel void softmax_xent_backward(const int N, const int classes,
                                    const __global float* restrict logProbs, const long logProbsOffset,
                                    const __global int* restrict labels, const long labelsOffset,
                                    const float scale, __global float* restrict dlogits, const long dlogitsOffset)
{
    const long id = get_global_id(0);
    if (id >= (long) N * classes) {
        return;
    }
    const int i = (int) (id / classes);
    const int k = (int) (id - (long) i * classes);
    const acc_t factor = (acc_t) scale / N;
    const acc_t p = exp((acc_t) logProbs[logProbsOffset + id]);
    const int label = labels[labelsOffset + i];
    dlogits[dlogitsOffset + id] = (float) (factor * (p - (k == label ? 1 : 0)));
}
