package org.rankfold.kernels;

/** Whether a GEMM operand is used as stored ({@code NO}) or transposed ({@code YES}). */
public enum Transpose {
    NO,
    YES;

    public boolean transposed() {
        return this == YES;
    }
}
