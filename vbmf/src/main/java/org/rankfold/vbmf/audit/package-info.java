/**
 * The audit trail of a decomposition: one record per layer ({@link org.rankfold.vbmf.audit.DecompositionAudit},
 * with the singular values, sigma2 and threshold of each unfolding, {@link org.rankfold.vbmf.audit.UnfoldingAudit},
 * the speed check, {@link org.rankfold.vbmf.audit.LayerTiming}, and params and MACs before and after,
 * {@link org.rankfold.vbmf.audit.ConvCost}), as JSON ({@link org.rankfold.vbmf.audit.AuditJson}) that a run
 * directory appends to audit.jsonl, one line per record. Fields: docs/file-formats.md ("audit.jsonl").
 */
package org.rankfold.vbmf.audit;
