// Per-channel reductions for BatchNorm forward (sums of x and x^2 via dots) and backward (sums of dy and
// of dy * xhat). x is (N, C, HW) row-major: channel c owns x[(i*C + c)*HW + j].
// One work-group of GROUP work-items (a power of two, compile-time) per channel: work-item l sums the
// elements t = l, l + GROUP, ... of the channel's N*HW values (t = i*HW + j), then a tree in local memory
// adds the GROUP partial sums. The order is fixed by GROUP alone, so results are deterministic.
// Accumulation is in double where the device has cl_khr_fp64, else in float.
#ifdef RANKFOLD_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
#endif
// Results are float for device-resident use; with -DWIDE_OUT=1 on an fp64 device they stay double
// (the host-array Backend path returns doubles and is held to the double reference).
#if defined(WIDE_OUT) && defined(RANKFOLD_FP64)
typedef double out_t;
#else
typedef float out_t;
#endif

// out[outOffset + c] = sum over i < N, j < HW of x[(i*C + c)*HW + j]
__kernel __attribute__((reqd_work_group_size(GROUP, 1, 1)))
void channel_sums(const int N, const int C, const int HW, const __global float* restrict x, const long xOffset,
                  __global out_t* restrict out, const long outOffset)
{
    __local acc_t partial[GROUP];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const long count = (long) N * HW;
    acc_t s = 0;
    for (long t = l; t < count; t += GROUP) {
        const long i = t / HW;
        const long j = t - i * HW;
        s += x[xOffset + (i * C + c) * HW + j];
    }
    partial[l] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = GROUP / 2; stride > 0; stride >>= 1) {
        if (l < stride) {
            partial[l] += partial[l + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        out[outOffset + c] = (out_t) partial[0];
    }
}

// out[outOffset + c] = sum over i, j of a*b at the same positions
__kernel __attribute__((reqd_work_group_size(GROUP, 1, 1)))
void channel_dots(const int N, const int C, const int HW, const __global float* restrict a, const long aOffset,
                  const __global float* restrict b, const long bOffset,
                  __global out_t* restrict out, const long outOffset)
{
    __local acc_t partial[GROUP];
    const int c = get_group_id(0);
    const int l = get_local_id(0);
    const long count = (long) N * HW;
    acc_t s = 0;
    for (long t = l; t < count; t += GROUP) {
        const long i = t / HW;
        const long j = t - i * HW;
        const long at = (i * C + c) * HW + j;
        s += (acc_t) a[aOffset + at] * (acc_t) b[bOffset + at];
    }
    partial[l] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = GROUP / 2; stride > 0; stride >>= 1) {
        if (l < stride) {
            partial[l] += partial[l + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        out[outOffset + c] = (out_t) partial[0];
    }
}
