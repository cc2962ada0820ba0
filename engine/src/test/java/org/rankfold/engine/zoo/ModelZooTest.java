package org.rankfold.engine.zoo;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelZooTest extends SeededTest {

    /**
     * fashionnet on 1x28x28, by hand: convs 1*32*9 + 32*32*9 + 32*64*9 + 64*64*9 = 288 + 9216 + 18432 + 36864;
     * fc1 3136*128 + 128 = 401536; fc2 128*10 + 10 = 1290; total 467626. BN affine 2*(32+32+64+64) = 384.
     * MACs: 28*28*32*9 + 28*28*32*288 + 14*14*64*288 + 14*14*64*576 + 3136*128 + 128*10 = 18,691,840.
     */
    @Test
    void fashionNetParamsAndMacsByHand() {
        ModelCost c = ModelCost.of(ModelZoo.create("fashionnet", InputShape.FASHION_MNIST, 1), InputShape.FASHION_MNIST);
        assertEquals(467_626, c.params());
        assertEquals(384, c.bnParams());
        assertEquals(18_691_840, c.macs());
        assertEquals(2 * 18_691_840L, c.flops());
    }

    /** LeNet-5's classic 61,706 parameters; MACs 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10. */
    @Test
    void lenet5ParamsAndMacs() {
        ModelCost c = ModelCost.of(ModelZoo.create("lenet5", InputShape.FASHION_MNIST, 1), InputShape.FASHION_MNIST);
        assertEquals(61_706, c.params());
        assertEquals(117_600 + 240_000 + 48_000 + 10_080 + 840, c.macs());
    }

    /**
     * Known totals including BN's affine parameters: VGG-16 (CIFAR) 14,728,266 and VGG-11 9,231,114 (the
     * figures of the widely used CIFAR VGG implementations); ResNet-20 with option-B projections: the
     * paper's 269,722 (option A) + 1x1 convs 16*32 + 32*64 + their BN's 2*(32+64) = 272,474.
     */
    @ParameterizedTest
    @CsvSource({"vgg11, 9231114", "vgg16, 14728266", "resnet20, 272474"})
    void knownParameterCountsOnCifar(String name, long withBn) {
        ModelCost c = ModelCost.of(ModelZoo.create(name, InputShape.CIFAR10, 1), InputShape.CIFAR10);
        assertEquals(withBn, c.params() + c.bnParams(), name);
    }

    /**
     * ResNet-(6n+2) MACs on 32x32 from the layer formula: conv1 32*32*16*27; stage 1: 2n convs 32*32*16*144;
     * stage 2: 16*16*32*144 + (2n-1) * 16*16*32*288 + projection 16*16*32*16; stage 3 likewise at 8x8 with
     * 64 channels; fc 64*10.
     */
    @ParameterizedTest
    @CsvSource({"resnet20, 3", "resnet32, 5", "resnet56, 9"})
    void resnetMacsFollowTheLayerFormula(String name, int n) {
        long expected = 32L * 32 * 16 * 27
                + 2L * n * 32 * 32 * 16 * 144
                + 16L * 16 * 32 * 144 + (2L * n - 1) * 16 * 16 * 32 * 288 + 16L * 16 * 32 * 16
                + 8L * 8 * 64 * 288 + (2L * n - 1) * 8 * 8 * 64 * 576 + 8L * 8 * 64 * 32
                + 640;
        ModelCost c = ModelCost.of(ModelZoo.create(name, InputShape.CIFAR10, 1), InputShape.CIFAR10);
        assertEquals(expected, c.macs(), name);
        if (n == 3) {
            assertTrue(Math.abs(c.macs() - 41_000_000L) < 500_000, "resnet20 is about 41M MACs: " + c.macs());
        }
    }

    @ParameterizedTest
    @CsvSource({"fashionnet, 1, 28", "lenet5, 1, 28", "lenet5, 3, 32", "vgg11, 3, 32", "vgg16, 3, 32",
            "resnet20, 1, 28", "resnet20, 3, 32", "resnet32, 3, 32", "resnet56, 1, 28"})
    void forwardGivesOneLogitRowPerImage(String name, int channels, int size) {
        InputShape in = new InputShape(channels, size, size, 10);
        Module m = ModelZoo.create(name, in, 7);
        Tensor x = Tensor.randn(random(), 2, channels, size, size);
        Tensor y;
        try (GradMode.Scope s = GradMode.noGrad()) {
            y = m.forward(x);
        }
        assertArrayEquals(new int[] {2, 10}, y.shape(), name + " -> " + Arrays.toString(y.shape()));
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void sameSeedSameWeightsAndNamesArePyTorchStyle() {
        Module a = ModelZoo.create("resnet20", InputShape.FASHION_MNIST, 3);
        Module b = ModelZoo.create("resnet20", InputShape.FASHION_MNIST, 3);
        assertEquals(a.namedParameters().keySet(), b.namedParameters().keySet());
        a.namedParameters().forEach((k, v) -> assertArrayEquals(v.data(), b.namedParameters().get(k).data(), k));
        assertTrue(a.namedParameters().containsKey("layer2.0.shortcut.0.weight"));
        assertTrue(a.namedBuffers().containsKey("layer3.2.bn2.running_var"));
        assertTrue(a.namedParameters().containsKey("fc.bias"));
    }

    @Test
    void unknownModelAndTooSmallInputsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.create("alexnet", InputShape.CIFAR10, 1));
        assertTrue(e.getMessage().contains("resnet20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("vgg16", InputShape.FASHION_MNIST, 1));
    }
}
