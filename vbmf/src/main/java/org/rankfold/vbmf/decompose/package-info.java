/**
 * Per-layer decisions on plain arrays: ranks from the unfoldings, Tucker-2 or a two-factor SVD, kept only when
 * params and MACs both drop.
 */
package org.rankfold.vbmf.decompose;
