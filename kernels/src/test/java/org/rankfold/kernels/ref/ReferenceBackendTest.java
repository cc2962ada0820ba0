package org.rankfold.kernels.ref;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendContract;

/** The reference backend meets the contract (memory outside C untouched, NaN overwritten, bad input rejected). */
class ReferenceBackendTest extends BackendContract {
    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
