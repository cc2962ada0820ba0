package org.rankfold.engine.zoo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Params (weights + biases, BatchNorm apart) and MACs of every zoo model for one image, derived
 * independently layer by layer (conv: OC*C*k*k (+OC) params, OH*OW*OC*C*k*k MACs; linear: in*out (+out),
 * in*out). Cross-checks with the literature: VGG-16 CIFAR 313M MACs, ResNet-20 40.8M MACs and ~0.27M params.
 */
class ModelZooTest extends SeededTest {

    @ParameterizedTest
    @CsvSource({
        "fashionnet, 1, 28, 467626, 18691840",
        "lenet5, 1, 28, 61706, 416520",
        "lenet5, 3, 32, 62006, 651720",
        "vgg11, 3, 32, 9222858, 152769536",
        "vgg16, 3, 32, 14715594, 313201664",
        "resnet20, 3, 32, 270906, 40813184",
        "resnet32, 3, 32, 464442, 69124736",
        "resnet56, 3, 32, 851514, 125747840"})
    void paramsAndMacs(String name, int channels, int size, long params, long macs) {
        Sequential model = ModelZoo.create(name, channels, size, 10, 1);
        CostReport r = CostProfiler.profile(model, channels, size, size);
        assertEquals(params, r.parameters(), name + " params");
        assertEquals(macs, r.macs(), name + " MACs");
        assertEquals(model.parameterCount(), r.parameters() + r.batchNormParameters());
    }

    @Test
    void namesAndOutputs() {
        Sequential resnet = ModelZoo.create("resnet20", 1, 28, 10, 3);
        assertTrue(resnet.namedParameters().containsKey("layer2.0.shortcut.0.weight"));
        assertTrue(resnet.namedParameters().containsKey("layer3.2.conv2.weight"));
        try (GradMode.Scope _ = GradMode.noGrad()) {
            assertArrayEquals(new int[] {2, 10}, resnet.forward(Tensor.zeros(2, 1, 28, 28)).shape());
            assertArrayEquals(new int[] {2, 10},
                    ModelZoo.create("fashionnet", 1, 28, 10, 3).forward(Tensor.zeros(2, 1, 28, 28)).shape());
        }
        Sequential a = ModelZoo.create("fashionnet", 1, 28, 10, 9);
        Sequential b = ModelZoo.create("fashionnet", 1, 28, 10, 9);
        assertArrayEquals(a.namedParameters().get("conv3.weight").data(), b.namedParameters().get("conv3.weight").data());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("alexnet", 3, 32, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("vgg16", 3, 28, 10, 1));
    }
}
