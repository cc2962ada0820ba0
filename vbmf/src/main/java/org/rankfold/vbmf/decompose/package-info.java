/**
 * Decomposing models: per-layer decisions on plain arrays ({@link org.rankfold.vbmf.decompose.KernelDecomposer}:
 * ranks from the unfoldings, Tucker-2 or a two-factor SVD, kept only when params and MACs both drop), and on
 * engine models ({@link org.rankfold.vbmf.decompose.DecompositionPlanner} plans every costed layer of a traced
 * model, {@link org.rankfold.vbmf.decompose.Decomposer} replaces the layers and writes one audit record each,
 * {@link org.rankfold.vbmf.decompose.TargetRatioSearch} finds the EVBMF strength in [0, 2] that reaches a target
 * ratio, with {@link org.rankfold.vbmf.rank.EvbmfStrengthSelector}; {@link org.rankfold.vbmf.decompose.SpeedCheck}
 * keeps a decomposition only if it is also measured faster, with {@code --speed-aware});
 * {@link org.rankfold.vbmf.decompose.RankPlanning} is the one planning path (plan or target search, and its audit
 * record) of {@code compress} and {@code decompose}, from their {@link org.rankfold.vbmf.decompose.RankSettings}. The rules are in
 * docs/method.md ("Which layers are decomposed").
 */
package org.rankfold.vbmf.decompose;
