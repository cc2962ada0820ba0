package org.rankfold.vbmf.boundaries;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.ClassReferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The math of vbmf (EVBMF, linear algebra, rank selection, dense tensors, Tucker-2) works on plain arrays
 * and EJML matrices: no compiled class of those packages refers to the engine or to the pipeline and
 * decomposition code that bridges the two. Only {@code decompose}, {@code pipeline} and {@code audit}
 * speak the engine's language.
 */
class MathBoundaryTest {
    static final Predicate<String> MATH = ClassReferences.inPackages("org/rankfold/vbmf/evbmf", "org/rankfold/vbmf/linalg",
            "org/rankfold/vbmf/rank", "org/rankfold/vbmf/tensor", "org/rankfold/vbmf/tucker");
    static final Predicate<String> FORBIDDEN = ClassReferences.inPackages("org/rankfold/engine", "org/rankfold/tools",
            "org/rankfold/vbmf/decompose", "org/rankfold/vbmf/pipeline", "org/rankfold/vbmf/audit");

    @Test
    void mathPackagesReferNothingOfTheEngine() {
        ClassReferences.assertNoReferences("the math packages of vbmf know no engine", Path.of("target", "classes"),
                MATH, FORBIDDEN);
    }

    @Test
    void theScannerSeesAPlantedTestClass() {
        // PlantedEngineReference sits in a math package of the test classes and holds an engine tensor
        List<String> v = ClassReferences.violations(Path.of("target", "test-classes"),
                MATH.and(n -> n.endsWith("/PlantedEngineReference")), FORBIDDEN);
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.getFirst().endsWith("refers to org.rankfold.engine.tensor.Tensor"), v.toString());
    }
}
