// im2col / col2im of one image (see Conv2dGeometry for the layout).
// x is (C, H, W) row-major; cols is (C*KH*KW, OH*OW): row r = (c*KH + p)*KW + q, column oh*OW + ow,
// cols[r][oh*OW + ow] = x[c][oh*SH - PH + p*DH][ow*SW - PW + q*DW], zero where that falls in the padding.

// One work-item per element of cols.
__kernel void im2col(const __global float* restrict x, const long xOffset,
                     __global float* restrict cols, const long colsOffset,
                     const int C, const int H, const int W, const int KH, const int KW,
                     const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                     const int OH, const int OW)
{
    const long id = get_global_id(0);
    const long plane = (long) OH * OW;
    const long total = (long) C * KH * KW * plane;
    if (id >= total) {
        return;
    }
    const int r = (int) (id / plane);
    const int o = (int) (id - (long) r * plane);
    const int oh = o / OW;
    const int ow = o - oh * OW;
    const int q = r % KW;
    const int p = (r / KW) % KH;
    const int c = r / (KW * KH);
    const int h = oh * SH - PH + p * DH;
    const int w = ow * SW - PW + q * DW;
    const bool inside = h >= 0 && h < H && w >= 0 && w < W;
    cols[colsOffset + id] = inside ? x[xOffset + ((long) c * H + h) * W + w] : 0.0f;
}

// The adjoint: dx[c][h][w] += sum of the cols entries that read x[c][h][w]. One work-item per element
// of dx gathers them (no atomics, so the result is deterministic): kernel offset (p, q) reads (h, w)
// from output (oh, ow) when h + PH - p*DH = oh*SH with 0 <= oh < OH, likewise for w.
__kernel void col2im(const __global float* restrict cols, const long colsOffset,
                     __global float* restrict dx, const long dxOffset,
                     const int C, const int H, const int W, const int KH, const int KW,
                     const int SH, const int SW, const int PH, const int PW, const int DH, const int DW,
                     const int OH, const int OW)
{
    const long id = get_global_id(0);
    const long total = (long) C * H * W;
    if (id >= total) {
        return;
    }
    const int w = (int) (id % W);
    const int h = (int) ((id / W) % H);
    const int c = (int) (id / ((long) H * W));
    const long plane = (long) OH * OW;
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
            const int ow = ww / SW;
            const long r = ((long) c * KH + p) * KW + q;
            sum += cols[colsOffset + r * plane + (long) oh * OW + ow];
        }
    }
    dx[dxOffset + id] += sum;
}
