/** Tucker-2 (partial Tucker on the channel modes of a conv kernel): HOSVD initialisation, HOOI sweeps. */
package org.rankfold.vbmf.tucker;
