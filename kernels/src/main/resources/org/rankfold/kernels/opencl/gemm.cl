// SGEMM: C = alpha * op(A) * op(B) + beta * C, all row-major.
// op(A) is M x K, op(B) is K x N, C is M x N; lda/ldb/ldc are row strides in floats.
// TRANS_A: A is stored K x M (op(A) = A^T); TRANS_B: B is stored N x K (op(B) = B^T).
// With beta == 0, C is overwritten (a NaN already in C does not propagate).
//
// Structure (after C. Nugteren, "Tutorial: OpenCL SGEMM tuning for Kepler", 2014, kernel 6):
// one work-group computes a TSM x TSN tile of C in steps of TSK along K; each step stages a TSM x TSK tile
// of op(A) and a TSK x TSN tile of op(B) in local memory, zero-filled past the matrix edges so that any
// M, N, K works; each work-item keeps a WPTM x WPTN block of C in registers (register blocking). The
// work-group is (TSN/WPTN, TSM/WPTM); work-item (tn, tm) owns rows tm + i*RTSM and columns
// tn + j*RTSN of the tile: strided ownership makes neighbouring work-items touch neighbouring columns,
// so global stores and local reads are contiguous.
//
// Compile-time: TSM, TSN, TSK, WPTM, WPTN, TRANS_A, TRANS_B. Indexes are int: the host checks that
// every matrix spans fewer than 2^31 elements.

#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)
// One column of padding: tiles written along K (NN's A, NT's B) would otherwise hit one local bank.
#define PAD 1

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void sgemm(const int M, const int N, const int K, const float alpha,
           const __global float* restrict A, const long aOffset, const int lda,
           const __global float* restrict B, const long bOffset, const int ldb,
           const float beta, __global float* C, const long cOffset, const int ldc)
{
    const int tn = get_local_id(0);
    const int tm = get_local_id(1);
    const int tid = tm * RTSN + tn;
    const int rowBase = get_group_id(1) * TSM;
    const int colBase = get_group_id(0) * TSN;
    A += aOffset;
    B += bOffset;
    C += cOffset;

    __local float aTile[TSK][TSM + PAD];
    __local float bTile[TSK][TSN + PAD];

    float acc[WPTM][WPTN];
    #pragma unroll
    for (int i = 0; i < WPTM; i++) {
        #pragma unroll
        for (int j = 0; j < WPTN; j++) {
            acc[i][j] = 0.0f;
        }
    }

    // K in steps of TSK.
    for (int k0 = 0; k0 < K; k0 += TSK) {
        // Stage op(A)[rowBase.., k0..]: consecutive work-items read consecutive addresses.
        for (int l = tid; l < TSM * TSK; l += THREADS) {
#if TRANS_A
            const int m = l % TSM;
            const int kk = l / TSM;
            const int gm = rowBase + m;
            const int gk = k0 + kk;
            aTile[kk][m] = (gm < M && gk < K) ? A[gk * lda + gm] : 0.0f;
#else
            const int kk = l % TSK;
            const int m = l / TSK;
            const int gm = rowBase + m;
            const int gk = k0 + kk;
            aTile[kk][m] = (gm < M && gk < K) ? A[gm * lda + gk] : 0.0f;
#endif
        }
        // Stage op(B)[k0.., colBase..].
        for (int l = tid; l < TSK * TSN; l += THREADS) {
#if TRANS_B
            const int kk = l % TSK;
            const int n = l / TSK;
            const int gn = colBase + n;
            const int gk = k0 + kk;
            bTile[kk][n] = (gn < N && gk < K) ? B[gn * ldb + gk] : 0.0f;
#else
            const int n = l % TSN;
            const int kk = l / TSN;
            const int gn = colBase + n;
            const int gk = k0 + kk;
            bTile[kk][n] = (gn < N && gk < K) ? B[gk * ldb + gn] : 0.0f;
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        // The rank-1 updates of this K step, from registers.
        #pragma unroll
        for (int kk = 0; kk < TSK; kk++) {
            float bReg[WPTN];
            #pragma unroll
            for (int j = 0; j < WPTN; j++) {
                bReg[j] = bTile[kk][tn + j * RTSN];
            }
            #pragma unroll
            for (int i = 0; i < WPTM; i++) {
                const float a = aTile[kk][tm + i * RTSM];
                #pragma unroll
                for (int j = 0; j < WPTN; j++) {
                    acc[i][j] = fma(a, bReg[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    // Write back the register block, skipping rows/columns past the matrix edge.
    #pragma unroll
    for (int i = 0; i < WPTM; i++) {
        const int gm = rowBase + tm + i * RTSM;
        #pragma unroll
        for (int j = 0; j < WPTN; j++) {
            const int gn = colBase + tn + j * RTSN;
            if (gm < M && gn < N) {
                const int idx = gm * ldc + gn;
                C[idx] = beta == 0.0f ? alpha * acc[i][j] : fma(alpha, acc[i][j], beta * C[idx]);
            }
        }
    }
}
