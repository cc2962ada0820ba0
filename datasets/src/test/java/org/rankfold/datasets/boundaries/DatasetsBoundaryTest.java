package org.rankfold.datasets.boundaries;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.ClassReferences;

/**
 * Datasets know no models: no compiled class of this module refers to the engine (tensors, layers,
 * training) or to anything above it, nor to the kernels beside it. Readers give plain arrays; the engine
 * turns them into tensors.
 */
class DatasetsBoundaryTest {

    @Test
    void datasetsReferNothingOfTheEngineOrAbove() {
        ClassReferences.assertNoReferences("datasets know no models", Path.of("target", "classes"),
                ClassReferences.inPackages("org/rankfold/datasets"),
                ClassReferences.inPackages("org/rankfold/engine", "org/rankfold/vbmf", "org/rankfold/tools",
                        "org/rankfold/kernels", "org/rankfold/benchmarks"));
    }
}
