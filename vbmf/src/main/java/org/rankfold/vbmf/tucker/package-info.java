/**
 * Tucker-2 (partial Tucker on the channel modes of a conv kernel): HOSVD initialisation, HOOI sweeps with
 * TensorLy's or a converged stopping rule, and the result with its errors (docs/method.md, Tucker-2).
 */
package org.rankfold.vbmf.tucker;
