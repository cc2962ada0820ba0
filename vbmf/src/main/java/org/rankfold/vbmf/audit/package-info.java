/**
 * The audit trail of a decomposition: one record per layer ({@link org.rankfold.vbmf.audit.DecompositionAudit},
 * with the singular values, sigma2 and threshold of each unfolding, {@link org.rankfold.vbmf.audit.UnfoldingAudit},
 * the speed check, {@link org.rankfold.vbmf.audit.LayerTiming}, and params and MACs before and after,
 * {@link org.rankfold.vbmf.audit.ConvCost}), written as JSON lines ({@link org.rankfold.vbmf.audit.AuditJson},
 * {@link org.rankfold.vbmf.audit.AuditWriter}). Fields: docs/file-formats.md ("audit.jsonl").
 */
package org.rankfold.vbmf.audit;
