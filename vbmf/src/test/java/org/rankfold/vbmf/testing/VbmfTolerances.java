package org.rankfold.vbmf.testing;

/** Named tolerances of the vbmf tests; golden ones are listed in testdata/golden/README.md ("What the tests check"). */
public final class VbmfTolerances {
    private VbmfTolerances() {
    }

    /** EVBMF with sigma2 given: d and threshold, rtol. */
    public static final double GIVEN_RTOL = 1e-10;
    /** EVBMF with sigma2 given: atol (scaled by max(1, max|ref|)). */
    public static final double GIVEN_ATOL = 1e-12;
    /** EVBMF with sigma2 estimated vs tight_*: sigma2 rtol. */
    public static final double SIGMA2_RTOL = 1e-6;
    /** EVBMF with sigma2 estimated vs tight_*: shrunk singular values rtol. */
    public static final double SHRUNK_RTOL = 1e-5;
    /** Objective vs obj_grid_value: rtol. */
    public static final double OBJECTIVE_RTOL = 1e-10;
    /** Objective vs obj_grid_value: atol. */
    public static final double OBJECTIVE_ATOL = 1e-12;
    /** Singular values vs numpy's: rtol (both are backward stable: errors ~ eps * s_max). */
    public static final double SINGULAR_VALUE_RTOL = 1e-10;
    /** Projectors U U^T vs the reference's, element-wise atol (README: 1e-8). */
    public static final double PROJECTOR_ATOL = 1e-8;
    /** Tucker-2 relative errors vs err_*: rtol. */
    public static final double TUCKER_ERROR_RTOL = 1e-8;
    /** Tucker-2 HOSVD relative error vs err_hosvd: rtol. */
    public static final double HOSVD_ERROR_RTOL = 1e-10;
    /** Tucker-2 errors: atol. */
    public static final double TUCKER_ERROR_ATOL = 1e-12;
    /** Slack of the one-sided Tucker-2 bounds err_hooi_tight - s <= err <= err_hosvd + s. */
    public static final double TUCKER_BOUND_SLACK = 1e-9;
}
