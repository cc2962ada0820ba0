package org.rankfold.kernels.boundaries;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.testing.ClassReferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels know no autograd: no compiled class of this module refers to the engine (tensors, autograd,
 * layers) or to anything above it, nor to the datasets beside it. Knowledge flows one way: kernels and
 * datasets, then engine, then vbmf, then tools.
 */
class KernelsBoundaryTest {
    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void kernelsReferNothingOfTheEngineOrAbove() {
        ClassReferences.assertNoReferences("kernels know no autograd, tensors or layers", CLASSES,
                ClassReferences.inPackages("org/rankfold/kernels"),
                ClassReferences.inPackages("org/rankfold/engine", "org/rankfold/vbmf", "org/rankfold/tools",
                        "org/rankfold/datasets", "org/rankfold/benchmarks"));
    }

    /** A class generated here with a field, a method signature and a call that name engine classes. */
    private static byte[] plantedClass(String name) {
        ClassDesc tensor = ClassDesc.ofInternalName("org/rankfold/engine/tensor/Tensor");
        ClassDesc module = ClassDesc.ofInternalName("org/rankfold/engine/nn/Module");
        ClassDesc ops = ClassDesc.ofInternalName("org/rankfold/engine/ops/PoolOps");
        return ClassFile.of().build(ClassDesc.ofInternalName(name), cb -> cb
                .withField("weights", tensor, ClassFile.ACC_PRIVATE)
                .withMethodBody("run", MethodTypeDesc.of(ConstantDescs.CD_void, module), ClassFile.ACC_STATIC, code -> code
                        .invokestatic(ops, "touch", MethodTypeDesc.of(ConstantDescs.CD_void))
                        .return_()));
    }

    @Test
    void theScannerFindsAPlantedReference(@TempDir Path dir) throws IOException {
        String name = "org/rankfold/kernels/cpu/Planted";
        Path file = dir.resolve(name + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, plantedClass(name));

        Set<String> refs = ClassReferences.of(Files.readAllBytes(file));
        assertTrue(refs.containsAll(Set.of("org/rankfold/engine/tensor/Tensor", "org/rankfold/engine/nn/Module",
                "org/rankfold/engine/ops/PoolOps")), "field type, parameter type and call owner: " + refs);
        List<String> v = ClassReferences.violations(dir, ClassReferences.inPackages("org/rankfold/kernels"),
                ClassReferences.inPackages("org/rankfold/engine"));
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.contains("org.rankfold.kernels.cpu.Planted refers to org.rankfold.engine.nn.Module"), v.toString());
        AssertionError e = assertThrows(AssertionError.class, () -> ClassReferences.assertNoReferences("planted",
                dir, ClassReferences.inPackages("org/rankfold/kernels"), ClassReferences.inPackages("org/rankfold/engine")));
        assertTrue(e.getMessage().contains("Planted refers to org.rankfold.engine.tensor.Tensor"), e.getMessage());
    }

    @Test
    void aFilterThatMatchesNothingFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("org/rankfold/kernels/cpu/Planted.class");
        Files.createDirectories(file.getParent());
        Files.write(file, plantedClass("org/rankfold/kernels/cpu/Planted"));
        assertThrows(AssertionError.class, () -> ClassReferences.assertNoReferences("typo", dir,
                ClassReferences.inPackages("org/rankfold/kernel"), ClassReferences.inPackages("org/rankfold/engine")));
    }
}
