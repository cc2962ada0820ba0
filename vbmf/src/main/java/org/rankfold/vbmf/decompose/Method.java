package org.rankfold.vbmf.decompose;

/** What the decomposer does to one layer; {@link #label()} is the audit's {@code decomposition} field. */
public enum Method {
    /** kxk convolution -> 1x1, kxk core, 1x1 (docs/method.md, Tucker-2). */
    TUCKER2("tucker2"),
    /** 1x1 convolution or linear layer -> two factors of the truncated SVD of its weight matrix. */
    SVD("svd"),
    /** Left as it is; the audit record says why. */
    SKIPPED("skipped");

    private final String label;

    Method(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
