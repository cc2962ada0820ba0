package org.rankfold.vbmf.tensor;

import org.rankfold.engine.tensor.Tensor;

/**
 * A test class that crosses the math boundary on purpose: MathBoundaryTest checks that the class-file
 * scanner reports it (main classes of this package must not do this).
 */
final class PlantedEngineReference {
    private PlantedEngineReference() {
    }

    static int size(Tensor t) {
        return t.size();
    }
}
