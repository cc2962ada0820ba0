package org.rankfold.engine.export;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNormFoldingTest extends SeededTest {

    private void foldedEqualsOriginal(ExportFixtures.Case c, boolean factorized) {
        SplittableRandom rng = random();
        Module model = c.create();
        if (factorized) {
            ExportFixtures.factorize(model, c, rng);
        }
        ExportFixtures.randomizeBatchNorms(model, rng);
        float[] x = ExportFixtures.batch(rng, 3, c);
        float[] expected = ExportFixtures.logits(model, x, 3, c);
        Module folded = BatchNormFolding.fold(model);
        assertFalse(folded.namedModules().values().stream().anyMatch(m -> m instanceof BatchNorm2d), "no BN left");
        assertTrue(folded.namedBuffers().isEmpty(), "no running statistics left");
        ExportFixtures.assertCloseToScale(c + (factorized ? " factorized" : "") + " folded logits", expected,
                ExportFixtures.logits(folded, x, 3, c), ExportFixtures.BN_FOLD_REL);
        // The original is untouched: same logits again.
        ExportFixtures.assertCloseToScale(c + " original after folding", expected, ExportFixtures.logits(model, x, 3, c), 0);
    }

    @Test
    void fashionNet() {
        foldedEqualsOriginal(ExportFixtures.FASHIONNET, false);
    }

    @Test
    void resNet20KeepsNamesAndDropsBatchNorm() {
        foldedEqualsOriginal(ExportFixtures.RESNET20, false);
        Module folded = BatchNormFolding.fold(ModelZoo.create("resnet20", 3, 16, 10, 1));
        assertTrue(folded.namedParameters().containsKey("layer2.0.shortcut.0.weight"));
        assertTrue(folded.namedParameters().containsKey("layer2.0.shortcut.0.bias"), "the folded BN became a bias");
        assertTrue(folded.namedParameters().containsKey("conv1.bias"));
        assertFalse(folded.namedParameters().containsKey("bn1.weight"));
        assertTrue(folded.namedModules().get("layer1.0") instanceof FoldedBasicBlock);
    }

    @Test
    void factorizedConvolutionsFoldIntoTheirLastFactor() {
        foldedEqualsOriginal(ExportFixtures.FASHIONNET, true);
        foldedEqualsOriginal(ExportFixtures.RESNET20, true);
    }

    @Test
    void aSequentialEndingInAConvolutionTakesTheBatchNorm() {
        // Decomposed 1x1 convolutions are Sequential(conv, conv): here the resnet's first projection shortcut.
        SplittableRandom rng = random();
        ExportFixtures.Case c = ExportFixtures.RESNET20;
        Module model = c.create();
        model.replaceModule("layer2.0.shortcut.0", new Sequential(
                new org.rankfold.engine.nn.Conv2d(16, 5, 1, 2, 0, false, rng), new org.rankfold.engine.nn.Conv2d(5, 32, 1, 1, 0, true, rng)));
        ExportFixtures.randomizeBatchNorms(model, rng);
        float[] x = ExportFixtures.batch(rng, 2, c);
        float[] expected = ExportFixtures.logits(model, x, 2, c);
        Module folded = BatchNormFolding.fold(model);
        assertTrue(folded.namedParameters().containsKey("layer2.0.shortcut.0.1.bias"));
        assertFalse(folded.namedModules().values().stream().anyMatch(m -> m instanceof BatchNorm2d));
        ExportFixtures.assertCloseToScale("decomposed shortcut folded", expected, ExportFixtures.logits(folded, x, 2, c),
                ExportFixtures.BN_FOLD_REL);
    }

    @Test
    void modelsWithoutBatchNormAreUnchanged() {
        foldedEqualsOriginal(ExportFixtures.LENET5, false);
        Module lenet = ModelZoo.create("lenet5", 1, 28, 10, 3);
        assertEquals(lenet.namedParameters().keySet(), BatchNormFolding.fold(lenet).namedParameters().keySet());
    }

    @Test
    void aBatchNormWithoutItsConvolutionIsRefused() {
        Module net = new Sequential().add("relu", new ReLU()).add("bn", new BatchNorm2d(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(net));
        assertTrue(e.getMessage().contains("'bn' does not follow a convolution"), e.getMessage());
    }
}
