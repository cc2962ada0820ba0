// SGEMM for CPU OpenCL devices (PoCL): C = alpha * op(A) * op(B) + beta * C, row-major, the same contract
// as gemm.cl (op(A) M x K, op(B) K x N; TRANS_A: A stored K x M; TRANS_B: B stored N x K; beta == 0
// overwrites C).
//
// Why a second kernel: CPU implementations run a work-group as loops over its work-items and vectorize
// across neighbouring work-items of dimension 0. The local-memory tiles and barriers of gemm.cl cost
// more than they save there (measured ~1 GFLOP/s on PoCL). Here work-item (j, g) computes rows
// g*RM .. g*RM+RM-1 of column j with no local memory and no barriers: per step of K it loads one element
// of op(B) (contiguous across neighbouring j when B is not transposed, one vector load) and RM elements of
// op(A) (the same for every j of the group: broadcasts), then does RM fused multiply-adds. Rows and
// columns past the edges are clamped for reading and skipped for writing, so the loop has no branches.
//
// Compile-time: RM, TRANS_A, TRANS_B. Indexes are int (the host checks spans < 2^31).

__kernel void sgemm_rows(const int M, const int N, const int K, const float alpha,
                         const __global float* restrict A, const long aOffset, const int lda,
                         const __global float* restrict B, const long bOffset, const int ldb,
                         const float beta, __global float* C, const long cOffset, const int ldc)
{
    const int j = get_global_id(0);
    const int i0 = get_global_id(1) * RM;
    const int jj = min(j, N - 1);
    A += aOffset;
    B += bOffset;
    C += cOffset;
    int rows[RM];
    float acc[RM];
    #pragma unroll
    for (int r = 0; r < RM; r++) {
        rows[r] = min(i0 + r, M - 1);
        acc[r] = 0.0f;
    }
    // K in steps of 1: one element of op(B) times RM elements of op(A).
    for (int k = 0; k < K; k++) {
#if TRANS_B
        const float b = B[jj * ldb + k];
#else
        const float b = B[k * ldb + jj];
#endif
        #pragma unroll
        for (int r = 0; r < RM; r++) {
#if TRANS_A
            const float a = A[k * lda + rows[r]];
#else
            const float a = A[rows[r] * lda + k];
#endif
            acc[r] = fma(a, b, acc[r]);
        }
    }
    if (j < N) {
        #pragma unroll
        for (int r = 0; r < RM; r++) {
            const int gm = i0 + r;
            if (gm < M) {
                const int idx = gm * ldc + j;
                C[idx] = beta == 0.0f ? alpha * acc[r] : fma(alpha, acc[r], beta * C[idx]);
            }
        }
    }
}
