/** Dense float64 tensors, the one unfold/fold convention of the project (TensorLy's), and mode-n products. */
package org.rankfold.vbmf.tensor;
