/**
 * Variational Bayesian matrix factorization (Nakajima et al., JMLR 2013): EVBMF with sigma2 given or estimated
 * by a bounded Brent search, and plain VBMF with a fixed prior product; formulas and bounds as in the public
 * reference implementation so that ranks agree exactly with it.
 */
package org.rankfold.vbmf.evbmf;
