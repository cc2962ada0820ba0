/** The audit trail of a compression run: one JSON line per step, with params and MACs before and after. */
package org.rankfold.vbmf.audit;
