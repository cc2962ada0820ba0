/** Sorted SVDs (EJML, float64) and the leading left singular vectors of unfoldings, with TensorLy's sign rule. */
package org.rankfold.vbmf.linalg;
