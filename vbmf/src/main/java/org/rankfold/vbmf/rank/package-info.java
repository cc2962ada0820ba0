/**
 * Rank selection strategies ({@link org.rankfold.vbmf.rank.RankSelector}), independent of the decomposition:
 * EVBMF ({@link org.rankfold.vbmf.rank.EvbmfSelector}, and beyond plain EVBMF on one strength scale in [0, 2],
 * {@link org.rankfold.vbmf.rank.EvbmfStrengthSelector}), an energy fraction and a fixed ratio of the full rank.
 */
package org.rankfold.vbmf.rank;
