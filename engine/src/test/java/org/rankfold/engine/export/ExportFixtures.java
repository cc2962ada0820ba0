package org.rankfold.engine.export;

import java.util.SplittableRandom;

import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.Arrays2;

/** Models, batches and comparisons shared by the export tests. */
final class ExportFixtures {
    /** BN folding changes only float32 rounding: logits equal to 1e-5 of the largest logit. */
    static final double BN_FOLD_REL = 1e-5;
    /** ONNX Runtime sums in another order and fuses ops: logits equal to 1e-4 of the largest logit. */
    static final double ONNX_REL = 1e-4;

    /** A zoo model, its input (C, H, W), and the child to factorize: container path and child name. */
    record Case(String model, int channels, int size, String container, String conv) {
        Module create() {
            return ModelZoo.create(model, channels, size, 10, 7);
        }

        @Override
        public String toString() {
            return model;
        }
    }

    /** The zoo models checked, at small inputs (tests stay fast). */
    static final Case FASHIONNET = new Case("fashionnet", 1, 12, "", "conv2");
    static final Case LENET5 = new Case("lenet5", 1, 28, "", "conv2");
    static final Case VGG11 = new Case("vgg11", 3, 32, "features", "4");
    static final Case RESNET20 = new Case("resnet20", 3, 16, "layer2.0", "conv1");
    static final Case VGG16 = new Case("vgg16", 3, 32, "features", "3");
    static final Case RESNET32 = new Case("resnet32", 3, 16, "layer2.0", "conv1");
    static final Case RESNET56 = new Case("resnet56", 3, 16, "layer3.0", "conv1");

    private ExportFixtures() {
    }

    /** Random BN affine parameters and running statistics, so folding has something to fold. */
    static void randomizeBatchNorms(Module model, SplittableRandom rng) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                fill(bn.gamma(), rng, 0.5, 1.5);
                fill(bn.beta(), rng, -0.5, 0.5);
                fill(bn.runningMean(), rng, -0.5, 0.5);
                fill(bn.runningVar(), rng, 0.5, 2.0);
            }
        }
    }

    private static void fill(Tensor t, SplittableRandom rng, double low, double high) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextDouble());
        }
    }

    /**
     * Replaces the case's conv by a FactorizedConv2d at about half its ranks (a compressed layer), with a
     * bias on its last factor when the conv had one.
     */
    static void factorize(Module model, Case c, SplittableRandom rng) {
        Module container = model.namedModules().get(c.container());
        Conv2d conv = (Conv2d) container.children().get(c.conv());
        int rIn = Math.max(1, conv.inChannels() / 2);
        int rOut = Math.max(1, conv.outChannels() / 2);
        container.replaceModule(c.conv(), new FactorizedConv2d(conv.inChannels(), conv.outChannels(), conv.spec(), rIn, rOut,
                conv.bias() != null, rng));
    }

    /** A uniform [-1, 1) batch (N, C, H, W) as a flat array. */
    static float[] batch(SplittableRandom rng, int n, Case c) {
        float[] x = new float[n * c.channels() * c.size() * c.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** The model's logits in evaluation mode without gradients. */
    static float[] logits(Module model, float[] x, int n, Case c) {
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return model.forward(Tensor.fromArray(x, n, c.channels(), c.size(), c.size())).data().clone();
        }
    }

    /** Elementwise |a - e| <= rel * max|e|: relative to the scale of the logits, not to each (possibly tiny) one. */
    static void assertCloseToScale(String what, float[] expected, float[] actual, double rel) {
        double scale = Math.max(Arrays2.maxAbs(expected), 1e-30);
        Arrays2.assertClose(what, expected, actual, 0, rel * scale);
    }
}
