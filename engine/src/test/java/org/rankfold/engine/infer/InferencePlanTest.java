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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.engine.export.BatchNormFolding;
import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.testing.SeededTest;

/**
 * The compiled plan computes what the autograd path computes: every zoo model, dense and decomposed
 * (Tucker-2 FactorizedConv2d layers), with its batch norms folded by the plan or by BatchNormFolding
 * beforehand, within 1e-5 of the largest logit; and it is bit-identical at 1 and 2 threads.
 */
class InferencePlanTest extends SeededTest {
    private static final double TOLERANCE = 1e-5;

    /** Zoo model, channels, image size: the smallest inputs each model accepts, to keep the test fast. */
    static List<Arguments> models() {
        return List.of(Arguments.of("fashionnet", 1, 8), Arguments.of("lenet5", 1, 28), Arguments.of("vgg11", 3, 32),
                Arguments.of("vgg16", 1, 32), Arguments.of("resnet20", 1, 8), Arguments.of("resnet32", 3, 8),
                Arguments.of("resnet56", 1, 8));
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{2}")
    @MethodSource("models")
    void planLogitsMatchTheAutogradPath(String name, int channels, int size) {
        SplittableRandom rng = random();
        Module model = ModelZoo.create(name, channels, size, 10, 7);
        PlanFixtures.randomizeBatchNorms(model, rng);
        model.eval();
        Tensor x = Tensor.randn(rng, 3, channels, size, size);
        check(name + " dense", model, x);
        check(name + " dense, BN folded beforehand", BatchNormFolding.fold(model), x);
        List<String> decomposed = PlanFixtures.decompose(model, rng);
        if (!name.equals("lenet5")) {
            assertFalse(decomposed.isEmpty(), name + " should have convolutions to decompose");
        }
        check(name + " decomposed", model, x);
        check(name + " decomposed, BN folded beforehand", BatchNormFolding.fold(model), x);
    }

    private static void check(String what, Module model, Tensor x) {
        float[] expected = PlanFixtures.autogradLogits(model, x);
        InferencePlan plan = InferencePlan.compile(model, x.dim(1), x.dim(2), x.dim(3));
        float[] actual = plan.forward(x).data();
        double err = PlanFixtures.relativeError(expected, actual);
        assertTrue(err <= TOLERANCE, what + ": plan vs autograd relative error " + err + "\nplan:\n"
                + String.join("\n", plan.stepDescriptions()));
    }

    @Test
    void logitsAreBitIdenticalAtOneAndTwoThreads() {
        SplittableRandom rng = random();
        Module[] models = decomposedResnetAndFashionnet(rng);
        for (Module m : models) {
            int size = m == models[0] ? 12 : 16;
            Tensor x = Tensor.randn(rng, 9, 1, size, size);
            InferencePlan plan = InferencePlan.compile(m, 1, size, size);
            float[] one = runOn(1, plan, x);
            float[] two = runOn(2, plan, x);
            assertArrayEquals(one, two, "1 vs 2 threads");
            // batch 1, the latency path, gives each image's logits bit for bit as in the batch
            float[] single = runOn(2, plan, Tensor.wrap(Arrays.copyOf(x.data(), plan.imageSize()), 1, 1, size, size));
            assertArrayEquals(Arrays.copyOf(one, plan.classes()), single, "batch 1 vs first row of batch 9");
        }
    }

    @Test
    void subBatchesGiveTheWholeBatchsLogitsBitForBit() {
        SplittableRandom rng = random();
        Module[] models = decomposedResnetAndFashionnet(rng);
        for (Module m : models) {
            int size = m == models[0] ? 12 : 16;
            Tensor x = Tensor.randn(rng, 21, 1, size, size);
            InferencePlan whole = InferencePlan.compile(m, 1, size, size);
            whole.subBatchFloats(Integer.MAX_VALUE);
            assertEquals(1, whole.subBatches(21));
            float[] expected = runOn(1, whole, x);
            InferencePlan split = InferencePlan.compile(m, 1, size, size);
            // the smallest budget: sub-batches of MIN_SUB_BATCH images at most, four of them for 21 images
            split.subBatchFloats(1);
            assertEquals(4, split.subBatches(21));
            assertTrue(split.describeSubBatches(21, 2).startsWith("4 sub-batches of 6 images"),
                    split.describeSubBatches(21, 2));
            for (int threads : new int[] {1, 2, 1, 2}) {
                // side by side on two threads, one after another on one; again with the kept workspaces
                assertArrayEquals(expected, runOn(threads, split, x), threads + " threads, sub-batches");
            }
            assertArrayEquals(expected, runOn(2, whole, x), "2 threads, whole batch");
        }
    }

    @Test
    void stepTimesAreRecordedWhenSubBatchesRunSideBySide() {
        SplittableRandom rng = random();
        Module model = ModelZoo.create("fashionnet", 1, 16, 10, 4);
        InferencePlan plan = InferencePlan.compile(model, 1, 16, 16);
        plan.subBatchFloats(1);
        Tensor x = Tensor.randn(rng, 16, 1, 16, 16);
        long[] nanos = new long[plan.stepDescriptions().size()];
        Backend saved = Backends.current();
        try (CpuBackend cpu = new CpuBackend(2)) {
            Backends.setCurrent(cpu);
            plan.run(x.data(), 0, 16, nanos);
        } finally {
            Backends.setCurrent(saved);
        }
        assertTrue(Arrays.stream(nanos).allMatch(t -> t > 0), Arrays.toString(nanos));
    }

    /** resnet20 on 12x12 images with its convolutions decomposed, and fashionnet on 16x16, both with random BN. */
    private static Module[] decomposedResnetAndFashionnet(SplittableRandom rng) {
        Module model = ModelZoo.create("resnet20", 1, 12, 10, 3);
        PlanFixtures.randomizeBatchNorms(model, rng);
        PlanFixtures.decompose(model, rng);
        Module fashion = ModelZoo.create("fashionnet", 1, 16, 10, 4);
        PlanFixtures.randomizeBatchNorms(fashion, rng);
        return new Module[] {model, fashion};
    }

    /** The plan's logits for {@code x} on a CPU backend of {@code threads} threads (tests of this package). */
    static float[] runOn(int threads, InferencePlan plan, Tensor x) {
        Backend saved = Backends.current();
        try (CpuBackend cpu = new CpuBackend(threads)) {
            Backends.setCurrent(cpu);
            return plan.forward(x).data();
        } finally {
            Backends.setCurrent(saved);
        }
    }

    @Test
    void stepsThatCannotFuseStillComputeTheModel() {
        SplittableRandom rng = new SplittableRandom(5);
        // BN after a ReLU cannot fold; the pool then follows a BN, the ReLU follows a pool
        Sequential net = new Sequential()
                .add("conv", new Conv2d(2, 4, 3, 1, 1, true, rng)).add("relu1", new ReLU())
                .add("bn", new BatchNorm2d(4)).add("pool", new MaxPool2d(2, 2, 0)).add("relu2", new ReLU())
                .add("avg", new AvgPool2d(3, 1, 1, false)).add("drop", new Dropout(0.5, 1))
                .add("flatten", new Flatten()).add("fc", new Linear(4 * 3 * 3, 5, true, rng));
        PlanFixtures.randomizeBatchNorms(net, rng);
        Tensor x = Tensor.randn(rng, 2, 2, 6, 6);
        check("unfused", net, x);
        InferencePlan plan = InferencePlan.compile(net, 2, 6, 6);
        String steps = String.join("\n", plan.stepDescriptions());
        assertTrue(steps.contains("batchnorm") && steps.contains("relu 4x3x3") && steps.contains("maxpool2x2/2 4x6x6"), steps);
    }

    @Test
    void fusionsShowInTheStepsAndBuffersAreShared() {
        Module model = ModelZoo.create("resnet20", 1, 8, 10, 1);
        InferencePlan plan = InferencePlan.compile(model, 1, 8, 8);
        List<String> steps = plan.stepDescriptions();
        // input, stem, 9 blocks x (conv1, conv2) + 2 projections, fc, output: no separate BN/ReLU/add steps
        assertEquals(1 + 1 + 18 + 2 + 1 + 1, steps.size(), String.join("\n", steps));
        assertTrue(steps.stream().anyMatch(s -> s.contains("+residual +relu +avgpool8x8") || s.contains("+avgpool")), String.join("\n", steps));
        assertTrue(steps.stream().noneMatch(s -> s.startsWith("batchnorm") || s.startsWith("relu") || s.startsWith("add")),
                String.join("\n", steps));
        assertTrue(plan.bufferCount() <= 5, "buffers: " + plan.bufferCount());
        Module fashion = ModelZoo.create("fashionnet", 1, 8, 10, 1);
        String fsteps = String.join("\n", InferencePlan.compile(fashion, 1, 8, 8).stepDescriptions());
        assertTrue(fsteps.contains("conv 3x3 32->32 +bias +relu +maxpool2x2/2"), fsteps);
    }

    @Test
    void perStepTimesAreRecorded() {
        Module model = ModelZoo.create("fashionnet", 1, 8, 10, 1);
        InferencePlan plan = InferencePlan.compile(model, 1, 8, 8);
        long[] nanos = new long[plan.stepDescriptions().size()];
        plan.run(new float[2 * 64], 0, 2, nanos);
        assertTrue(Arrays.stream(nanos).allMatch(t -> t > 0), Arrays.toString(nanos));
        assertEquals(plan.stepMacs().length, nanos.length);
        assertTrue(Arrays.stream(plan.stepMacs()).sum() > 0);
    }

    @Test
    void badInputsAndShapesThatDoNotChainAreRejectedByName() {
        Module model = ModelZoo.create("fashionnet", 1, 8, 10, 1);
        InferencePlan plan = InferencePlan.compile(model, 1, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.run(new float[100], 0, 2));
        assertTrue(e.getMessage().contains("1x8x8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> plan.forward(Tensor.zeros(1, 3, 8, 8)));
        assertTrue(e.getMessage().contains("(N, 1, 8, 8)"), e.getMessage());
        e = assertThrows(UnsupportedModuleException.class, () -> InferencePlan.compile(
                new Sequential().add("fc", new Linear(10, 2, true, new SplittableRandom(1))), 1, 4, 4));
        assertTrue(e.getMessage().contains("'fc'"), e.getMessage());
    }
}
