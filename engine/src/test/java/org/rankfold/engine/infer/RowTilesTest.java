package org.rankfold.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.testing.SeededTest;

/**
 * Convolution steps run over row tiles of each image (a working-set budget too small for one image)
 * compute bit for bit what they compute over whole images, and what the autograd path computes within
 * 1e-5: every zoo model decomposed, and the tile edges (heights that tiles do not divide, stride 2,
 * padding 0-2, kernels 1, 3 and 5, dilation, fused pools, batch 1, 1 and 2 threads).
 */
class RowTilesTest extends SeededTest {
    private static final double TOLERANCE = 1e-5;
    /** Budgets that force one-row tiles, and tiles of a few rows with a shorter last one. */
    private static final int[] BUDGETS = {16, 600};

    @Test
    void bandsCarryTheHaloAndTheZeroPadRowsOfTheImageEdges() {
        List<ConvSpec> tucker = List.of(ConvSpec.square(1, 1, 0, 1), ConvSpec.square(3, 1, 1, 1),
                ConvSpec.square(1, 1, 0, 1));
        int[] heights = {10, 10, 10};
        RowBands mid = RowBands.of(tucker, 10, heights, null, 3, 6);
        assertEquals(3, mid.outLo(2));
        assertEquals(6, mid.outHi(2));
        assertEquals(2, mid.outLo(0), "the 3x3 needs one halo row above");
        assertEquals(7, mid.outHi(0), "and one below");
        assertEquals(2, mid.inLo());
        assertEquals(7, mid.inHi());
        assertFalse(mid.needsPaddedInput(1));
        RowBands top = RowBands.of(tucker, 10, heights, null, 0, 3);
        assertEquals(0, top.outLo(0));
        assertEquals(4, top.outHi(0));
        assertEquals(1, top.padTop(1), "row -1 is padding");
        assertEquals(0, top.padBottom(1));
        assertTrue(top.needsPaddedInput(1));
        RowBands bottom = RowBands.of(tucker, 10, heights, null, 8, 10);
        assertEquals(7, bottom.outLo(0));
        assertEquals(10, bottom.outHi(0));
        assertEquals(1, bottom.padBottom(1));

        // a 3x3 stride-2 window on 11 rows (6 output rows), then a 2x2/2 pool (3 rows)
        List<ConvSpec> strided = List.of(ConvSpec.square(3, 2, 1, 1));
        RowBands pooled = RowBands.of(strided, 11, new int[] {6}, ConvSpec.square(2, 2, 0, 1), 1, 3);
        assertEquals(2, pooled.outLo(0), "pooled rows 1-2 read conv rows 2-5");
        assertEquals(6, pooled.outHi(0));
        assertEquals(3, pooled.inLo(), "conv row 2 reads input rows 3-5");
        assertEquals(11, pooled.inHi(), "conv row 5 reads rows 9-11, row 11 is padding");
        assertEquals(1, pooled.padBottom(0));
        assertEquals(1, pooled.tileLo());
        assertEquals(3, pooled.tileHi());
    }

    static List<String> zooModels() {
        return List.of("fashionnet", "lenet5", "vgg11", "vgg16", "resnet20", "resnet32", "resnet56");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zooModels")
    void everyDecomposedZooModelGivesTheSameLogitsOverRowTiles(String name) {
        SplittableRandom rng = random();
        int channels = name.equals("vgg11") || name.equals("resnet32") ? 3 : 1;
        int size = switch (name) {
            case "lenet5" -> 28;
            case "vgg11", "vgg16" -> 32;
            default -> 12;
        };
        Module model = ModelZoo.create(name, channels, size, 10, 7);
        PlanFixtures.randomizeBatchNorms(model, rng);
        PlanFixtures.decompose(model, rng);
        Tensor x = Tensor.randn(rng, 2, channels, size, size);
        compare(name + " decomposed", model, x);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fashionnet", "resnet20"})
    void denseModelsGiveTheSameLogitsWithAndWithoutIm2col(String name) {
        // whole images of their 3x3 convolutions are read in place (the CPU's padded grid); row tiles run
        // im2col: both must give the same bits
        SplittableRandom rng = random();
        Module model = ModelZoo.create(name, 1, 12, 10, 7);
        PlanFixtures.randomizeBatchNorms(model, rng);
        Tensor x = Tensor.randn(rng, 3, 1, 12, 12);
        InferencePlan whole = InferencePlan.compile(model, 1, 12, 12);
        assertTrue(whole.stepParts().stream().flatMap(List::stream).anyMatch(p -> p.endsWith("without im2col")
                        || p.contains("without im2col ")), String.join("\n", whole.stepDescriptions()));
        compare(name + " dense", model, x);
    }

    @Test
    void tileEdgesOfHandBuiltChains() {
        SplittableRandom rng = random();
        // 11 and 13 rows: no tile height divides them; stride 2 with padding 1 and 0; 5x5 with padding 2
        // (uneven pads in the top tiles); dilation 2; a 1x1 stride-2 projection; bias; BN after each conv
        for (int height : new int[] {11, 13}) {
            Sequential net = new Sequential()
                    .add("c1", factorized(rng, 2, 6, ConvSpec.square(3, 1, 1, 1), true)).add("bn1", new BatchNorm2d(6))
                    .add("r1", new ReLU())
                    .add("c2", factorized(rng, 6, 8, ConvSpec.square(3, 2, 1, 1), false)).add("bn2", new BatchNorm2d(8))
                    .add("c3", factorized(rng, 8, 8, ConvSpec.square(5, 1, 2, 1), true)).add("r3", new ReLU())
                    .add("c4", factorized(rng, 8, 6, new ConvSpec(3, 3, 1, 1, 2, 2, 2, 2), false))
                    .add("c5", new Conv2d(6, 6, 1, 2, 0, true, rng)).add("r5", new ReLU())
                    .add("c6", new Conv2d(6, 5, 3, 1, 0, true, rng))
                    .add("pool", new GlobalAvgPool()).add("flat", new Flatten()).add("fc", new Linear(5, 4, true, rng));
            PlanFixtures.randomizeBatchNorms(net, rng);
            net.eval();
            compare("chain, height " + height, net, Tensor.randn(rng, 3, 2, height, height + 2));
            compare("chain, height " + height + ", batch 1", net, Tensor.randn(rng, 1, 2, height, height));
        }
    }

    @Test
    void aBatchSmallerThanTheThreadsIsCutIntoTilesForThemWithTheSameLogits() {
        // batch 1 at 2 threads: each large enough step gives each thread a row tile of the image, a small one runs whole
        SplittableRandom rng = random();
        // 40x40 images: the first convolution (1 -> 32 channels) stays under ConvChainStep.SHARED_MIN_MACS per
        // image, the decomposed net's chains exceed it; a working-set budget (64 MiB) that holds a whole image,
        // so only the threads cut them
        int size = 40;
        int pixels = size * size;
        Module dense = ModelZoo.create("fashionnet", 1, size, 10, 5);
        PlanFixtures.randomizeBatchNorms(dense, rng);
        Module decomposed = ModelZoo.create("fashionnet", 1, size, 10, 5);
        PlanFixtures.randomizeBatchNorms(decomposed, rng);
        PlanFixtures.decompose(decomposed, rng);
        for (Module model : new Module[] {dense, decomposed}) {
            InferencePlan plan = InferencePlan.compile(model, 1, size, size, 1 << 24);
            Tensor batch = Tensor.randn(rng, 3, 1, size, size);
            float[] inBatch = InferencePlanTest.runOn(1, plan, batch);
            for (int image = 0; image < 3; image++) {
                Tensor one = Tensor.wrap(Arrays.copyOfRange(batch.data(), image * pixels, (image + 1) * pixels), 1, 1, size,
                        size);
                float[] alone = InferencePlanTest.runOn(2, plan, one);
                assertArrayEquals(Arrays.copyOfRange(inBatch, image * 10, (image + 1) * 10), alone,
                        "image " + image + " alone at 2 threads vs in a batch of 3 at 1 thread");
            }
            List<String> tilings = tilingsAt(2, plan, 1);
            assertTrue(tilings.stream().anyMatch(t -> t.startsWith("2 row tiles of ")), tilings.toString());
            // the first convolution stays whole
            assertTrue(tilings.stream().anyMatch(t -> t.equals("1 image per tile")), "a small step is not cut: " + tilings);
            assertTrue(tilingsAt(1, plan, 1).stream().noneMatch(t -> t.contains("row tiles")), "1 thread keeps whole images");
            assertTrue(tilingsAt(2, plan, 2).stream().noneMatch(t -> t.contains("row tiles")), "2 images for 2 threads");
        }
    }

    private static List<String> tilingsAt(int threads, InferencePlan plan, int batch) {
        Backend saved = Backends.current();
        try (CpuBackend cpu = new CpuBackend(threads)) {
            Backends.setCurrent(cpu);
            return plan.stepTilings(batch);
        } finally {
            Backends.setCurrent(saved);
        }
    }

    @Test
    void fusedPoolsTileByTheirWindowsOrKeepWholeImages() {
        SplittableRandom rng = random();
        Sequential net = new Sequential()
                .add("c1", factorized(rng, 1, 4, ConvSpec.square(3, 1, 1, 1), true)).add("r1", new ReLU())
                .add("p1", new MaxPool2d(2, 2, 0))
                .add("c2", factorized(rng, 4, 4, ConvSpec.square(3, 1, 0, 1), true)).add("r2", new ReLU())
                .add("p2", new MaxPool2d(3, 2, 0))
                .add("c3", new Conv2d(4, 4, 3, 1, 1, true, rng))
                .add("p3", new AvgPool2d(3, 1, 1, false))
                .add("flat", new Flatten()).add("fc", new Linear(4 * 2 * 2, 3, true, rng));
        net.eval();
        Tensor x = Tensor.randn(rng, 2, 1, 15, 15);
        compare("pools", net, x);
        InferencePlan tiled = InferencePlan.compile(net, 1, 15, 15, 16);
        List<String> tilings = tiled.stepTilings(2);
        List<String> steps = tiled.stepDescriptions();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).contains("maxpool")) {
                assertTrue(tilings.get(i).contains("row tiles"), steps.get(i) + ": " + tilings.get(i));
            }
            if (steps.get(i).contains("avgpool3x3")) {
                // a padded pool needs whole planes
                assertTrue(tilings.get(i).contains("image"), steps.get(i) + ": " + tilings.get(i));
            }
        }
    }

    @Test
    void partsOfATiledChainAreTimedAndNamed() {
        SplittableRandom rng = random();
        Sequential net = new Sequential()
                .add("c1", factorized(rng, 2, 6, ConvSpec.square(3, 1, 1, 1), true)).add("r1", new ReLU())
                .add("pool", new MaxPool2d(2, 2, 0)).add("flat", new Flatten()).add("fc", new Linear(6 * 4 * 4, 3, true, rng));
        net.eval();
        InferencePlan plan = InferencePlan.compile(net, 2, 8, 8, 40);
        List<List<String>> parts = plan.stepParts();
        int chain = plan.stepDescriptions().indexOf(plan.stepDescriptions().stream()
                .filter(s -> s.startsWith("tucker")).findFirst().orElseThrow());
        assertEquals(List.of("gemm 1x1 2->1", "im2col 3x3 (row tiles only)", "gemm 3x3 1->3 without im2col",
                "gemm 1x1 3->6 +output stage", "maxpool2x2/2"), parts.get(chain));
        assertTrue(plan.stepTilings(3).get(chain).contains("row tiles"), plan.stepTilings(3).get(chain));
        long[] steps = new long[parts.size()];
        long[][] partNanos = new long[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            partNanos[i] = new long[parts.get(i).size()];
        }
        plan.run(new float[3 * 2 * 64], 0, 3, steps, partNanos);
        for (long t : partNanos[chain]) {
            assertTrue(t > 0, "every part timed: " + Arrays.toString(partNanos[chain]));
        }
    }

    @Test
    void theBudgetPropertyIsReadInKiBAndABadValueIsNamed() {
        String saved = System.getProperty("rankfold.plan.tileKiB");
        try {
            System.clearProperty("rankfold.plan.tileKiB");
            assertEquals(ConvChainStep.TILE_FLOATS, InferencePlan.defaultTileFloats());
            System.setProperty("rankfold.plan.tileKiB", "48");
            assertEquals(48 * 256, InferencePlan.defaultTileFloats());
            System.setProperty("rankfold.plan.tileKiB", "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, InferencePlan::defaultTileFloats);
            assertTrue(e.getMessage().contains("rankfold.plan.tileKiB") && e.getMessage().contains("'lots'"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty("rankfold.plan.tileKiB");
            } else {
                System.setProperty("rankfold.plan.tileKiB", saved);
            }
        }
    }

    /** A Tucker-2 layer with random factors of ranks about half the channels. */
    private static FactorizedConv2d factorized(SplittableRandom rng, int in, int out, ConvSpec spec, boolean bias) {
        int rIn = Math.max(1, in / 2);
        int rOut = Math.max(1, out / 2);
        Tensor a = Tensor.uniform(rng, -0.7f, 0.7f, rIn, in);
        Tensor g = Tensor.uniform(rng, -0.5f, 0.5f, rOut, rIn, spec.kernelH(), spec.kernelW());
        Tensor b = Tensor.uniform(rng, -0.7f, 0.7f, out, rOut);
        return FactorizedConv2d.fromFactors(a, g, b, bias ? Tensor.uniform(rng, -0.2f, 0.2f, out) : null, spec);
    }

    /**
     * The plan at the default budget, at budgets that force row tiles (at 1 and 2 threads), and the
     * autograd path: tiles bit-identical to whole images, all within 1e-5 of autograd.
     */
    private static void compare(String what, Module model, Tensor x) {
        float[] expected = PlanFixtures.autogradLogits(model, x);
        InferencePlan whole = InferencePlan.compile(model, x.dim(1), x.dim(2), x.dim(3));
        float[] reference = InferencePlanTest.runOn(1, whole, x);
        double err = PlanFixtures.relativeError(expected, reference);
        assertTrue(err <= TOLERANCE, what + ": whole-image plan vs autograd " + err);
        boolean anyTiles = false;
        for (int budget : BUDGETS) {
            InferencePlan tiled = InferencePlan.compile(model, x.dim(1), x.dim(2), x.dim(3), budget);
            anyTiles |= tiled.stepTilings(x.dim(0)).stream().anyMatch(t -> t.contains("row tiles"));
            for (int threads = 1; threads <= 2; threads++) {
                assertArrayEquals(reference, InferencePlanTest.runOn(threads, tiled, x), what + ": budget " + budget + ", "
                        + threads + " threads\n" + String.join("\n", tiled.stepDescriptions()) + "\n"
                        + String.join("\n", tiled.stepTilings(x.dim(0))));
            }
        }
        assertTrue(anyTiles, what + ": no step was cut into row tiles");
    }
}
