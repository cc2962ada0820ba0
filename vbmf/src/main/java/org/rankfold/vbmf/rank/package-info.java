/** Rank selection strategies ({@link org.rankfold.vbmf.rank.RankSelector}), independent of the decomposition. */
package org.rankfold.vbmf.rank;
