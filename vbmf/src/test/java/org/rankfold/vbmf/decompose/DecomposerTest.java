package org.rankfold.vbmf.decompose;

import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.rank.FixedRatioSelector;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Options;
import org.rankfold.vbmf.tucker.Tucker2Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecomposerTest extends SeededTest {
    /** Max abs output difference of a full-rank decomposition. */
    static final double FULL_RANK_OUTPUT_ATOL = 1e-4;

    @Test
    void fullRankTuckerReproducesTheConvolution() {
        SplittableRandom rng = random();
        for (ConvSpec spec : new ConvSpec[] {ConvSpec.square(3, 1, 1, 1), ConvSpec.square(3, 2, 1, 1),
            ConvSpec.square(3, 1, 2, 2), new ConvSpec(3, 5, 1, 2, 1, 2, 1, 1)}) {
            Conv2d conv = new Conv2d(6, 10, spec, true, 1, rng);
            Tucker2Result t = Tucker2.decompose(WeightTensors.toDense(conv.weight()), 10, 6, Tucker2Options.tensorly());
            FactorizedConv2d f = Decomposer.tuckerLayer(conv, t);
            assertEquals(6, f.rankIn());
            assertEquals(10, f.rankOut());
            Tensor x = Tensor.uniform(rng, -1, 1, 2, 6, 11, 9);
            assertTrue(maxAbsDiff(forward(conv, x), forward(f, x)) < FULL_RANK_OUTPUT_ATOL, spec.toString());
        }
    }

    @Test
    void evbmfRanksRecoverAPlantedKernelAndTheOutputErrorMatchesTheReportedOne() {
        SplittableRandom rng = random();
        Conv2d planted = PlantedLayers.conv(rng, 32, 24, 3, 6, 5, 0.02, ConvSpec.square(3, 1, 1, 1));
        Sequential net = new Sequential().add("stem", new Conv2d(1, 24, 3, 1, 1, false, rng)).add("relu", new ReLU())
                .add("conv", planted);
        Conv2d original = Conv2d.of(planted.weight().copy(), planted.bias().copy(), planted.spec());
        DecompositionResult r = Decomposer.decompose(net, new int[] {1, 12, 12}, DecomposerOptions.defaults());

        DecompositionAudit stem = r.layers().get(0);
        assertEquals("skipped", stem.decomposition());
        assertTrue(stem.notes().get(0).startsWith("first convolution"), stem.notes().toString());
        DecompositionAudit a = r.layers().get(1);
        assertEquals("tucker2", a.decomposition());
        assertEquals(List.of(6, 5), List.of(a.ranks()[0], a.ranks()[1]), "planted ranks recovered");
        FactorizedConv2d f = assertInstanceOf(FactorizedConv2d.class, net.layers().get(2));

        Tensor x = Tensor.uniform(rng, -1, 1, 4, 24, 12, 12);
        float[] y = forward(original, x);
        float[] yHat = forward(f, x);
        // exact consistency: the layer computes the dense conv with the reconstructed kernel ...
        Tensor hat = WeightTensors.toTensor(Tucker2.decompose(WeightTensors.toDense(original.weight()), 6, 5)
                .reconstruction(), 32, 24, 3, 3);
        assertTrue(maxAbsDiff(forward(Conv2d.of(hat, original.bias().copy(), original.spec()), x), yHat)
                < FULL_RANK_OUTPUT_ATOL);
        // ... so for inputs with i.i.d. entries the relative output error tracks the kernel's
        double outErr = relativeDiff(y, yHat, original.bias().data(), 144);
        assertTrue(a.relativeError() > 0);
        assertTrue(outErr > 0.5 * a.relativeError() && outErr < 2 * a.relativeError(),
                "output error " + outErr + " vs reported " + a.relativeError());
    }

    @Test
    void accountingFollowsTheFormulaAndTheTracedModel() {
        SplittableRandom rng = random();
        Sequential net = new Sequential()
                .add("stem", new Conv2d(3, 16, 3, 1, 1, false, rng))
                .add("conv", PlantedLayers.conv(rng, 32, 16, 3, 4, 3, 0.01, ConvSpec.square(3, 2, 1, 1)))
                .add("flatten", new Flatten())
                .add("fc", PlantedLayers.linear(rng, 10, 32 * 5 * 5, 3, 0.01));
        int[] input = {3, 10, 10};
        DecomposerOptions withClassifier = DecomposerOptions.defaults().withClassifier(true);
        DecompositionPlan plan = DecompositionPlanner.plan(net, input, withClassifier);
        DecompositionResult r = Decomposer.apply(net, plan, withClassifier);
        DecompositionAudit conv = r.layers().get(1);
        int r0 = conv.ranks()[0];
        int r1 = conv.ranks()[1];
        // docs/method.md: H*W*C*R_in + OH*OW*R_in*R_out*k*k + OH*OW*R_out*S; params C*R_in + R_in*R_out*k*k + R_out*S + S
        assertEquals(10L * 10 * 16 * r1 + 5L * 5 * r1 * r0 * 9 + 5L * 5 * r0 * 32, conv.macsAfter());
        assertEquals(16L * r1 + (long) r1 * r0 * 9 + r0 * 32L + 32, conv.paramsAfter());
        assertEquals(5L * 5 * 32 * 16 * 9, conv.macsBefore());
        DecompositionAudit fc = r.layers().get(2);
        assertEquals("svd", fc.decomposition());
        assertEquals(3, fc.ranks()[0]);
        assertEquals(3L * (800 + 10) + 10, fc.paramsAfter());
        assertEquals(3L * (800 + 10), fc.macsAfter());
        CostReport traced = CostProfiler.profile(net, input);
        assertEquals(traced.parameters(), r.paramsAfter());
        assertEquals(traced.macs(), r.macsAfter());
        assertEquals(plan.paramsAfter(), r.paramsAfter());
        assertEquals(plan.macsAfter(), r.macsAfter());
        assertTrue(r.paramsRatio() > 1 && r.macsRatio() > 1);
    }

    @Test
    void theClassifierStaysDenseUnlessAskedWhileAHiddenLinearLayerIsDecomposed() {
        SplittableRandom rng = random();
        Sequential net = new Sequential()
                .add("stem", new Conv2d(1, 8, 3, 1, 1, false, rng))
                .add("flatten", new Flatten())
                .add("hidden", PlantedLayers.linear(rng, 40, 8 * 6 * 6, 3, 0.01))
                .add("relu", new ReLU())
                .add("classifier", PlantedLayers.linear(rng, 10, 40, 2, 0.01));
        int[] input = {1, 6, 6};
        DecompositionPlan plan = DecompositionPlanner.plan(net, input, DecomposerOptions.defaults());
        LayerPlan hidden = plan.layers().stream().filter(l -> l.name().equals("hidden")).findFirst().orElseThrow();
        LayerPlan classifier = plan.layers().stream().filter(l -> l.name().equals("classifier")).findFirst().orElseThrow();
        assertEquals(Method.SVD, hidden.method());
        assertEquals(Method.SKIPPED, classifier.method());
        assertTrue(classifier.notes().get(0).contains("classifier"), classifier.notes().toString());
        LayerPlan asked = DecompositionPlanner.plan(net, input, DecomposerOptions.defaults().withClassifier(true)).layers()
                .stream().filter(l -> l.name().equals("classifier")).findFirst().orElseThrow();
        assertEquals(Method.SVD, asked.method());
        assertEquals(2, asked.ranks()[0]);
    }

    @Test
    void svdOfALinearLayerReproducesItAtItsRankAndKeepsTheBias() {
        SplittableRandom rng = random();
        Linear fc = PlantedLayers.linear(rng, 20, 64, 4, 0.0);
        Sequential net = new Sequential().add("fc", fc);
        Tensor x = Tensor.uniform(rng, -1, 1, 3, 64);
        float[] y = forward(fc, x);
        DecompositionResult r = Decomposer.decompose(net, new int[] {64}, DecomposerOptions.defaults()
                .withSelector(new org.rankfold.vbmf.rank.FixedRankSelector(4)).withClassifier(true));
        assertEquals("svd", r.layers().get(0).decomposition());
        Sequential two = assertInstanceOf(Sequential.class, net.layers().get(0));
        assertEquals(List.of("fc.0.weight", "fc.1.weight", "fc.1.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(4, two.layers().get(0).namedParameters().get("weight").dim(0));
        assertTrue(maxAbsDiff(y, forward(net, x)) < FULL_RANK_OUTPUT_ATOL);
        assertTrue(r.layers().get(0).relativeError() < 1e-5, "exact rank 4: error " + r.layers().get(0).relativeError());
    }

    @Test
    void pointwiseConvolutionsStayDenseUnlessAskedAndKeepTheirStride() {
        SplittableRandom rng = random();
        Conv2d pw = Conv2d.of(PlantedLayers.linear(rng, 24, 16, 3, 0.0).weight().reshape(24, 16, 1, 1).detach(),
                Tensor.uniform(rng, -1, 1, 24), ConvSpec.square(1, 2, 0, 1));
        Sequential net = new Sequential().add("stem", new Conv2d(2, 16, 3, 1, 1, false, rng)).add("pw", pw);
        int[] input = {2, 8, 8};
        DecompositionResult kept = Decomposer.decompose(net, input, DecomposerOptions.defaults());
        assertEquals("skipped", kept.layers().get(1).decomposition());
        assertTrue(kept.layers().get(1).notes().get(0).contains("pointwise"));

        Tensor x = Tensor.uniform(rng, -1, 1, 2, 2, 8, 8);
        float[] y = forward(net, x);
        DecompositionResult r = Decomposer.decompose(net, input, DecomposerOptions.defaults().withLayers(true, true, false));
        assertEquals("svd", r.layers().get(1).decomposition());
        assertEquals(3, r.layers().get(1).ranks()[0], "EVBMF finds the exact rank 3");
        assertTrue(maxAbsDiff(y, forward(net, x)) < FULL_RANK_OUTPUT_ATOL);
    }

    @Test
    void aLayerThatWouldGrowIsSkippedWithItsReason() {
        SplittableRandom rng = random();
        Sequential net = new Sequential().add("stem", new Conv2d(1, 4, 3, 1, 1, false, rng))
                .add("conv", new Conv2d(4, 4, 3, 1, 1, false, rng));
        Module before = net.layers().get(1);
        DecompositionResult r = Decomposer.decompose(net, new int[] {1, 6, 6},
                DecomposerOptions.defaults().withSelector(new FixedRatioSelector(1.0)));
        DecompositionAudit a = r.layers().get(1);
        assertEquals("skipped", a.decomposition());
        assertTrue(a.notes().get(0).startsWith("no saving at ranks [4, 4]"), a.notes().get(0));
        assertEquals(2, a.unfoldings().size(), "the rank choices are still on record");
        assertTrue(before == net.layers().get(1), "layer untouched");
        assertEquals(r.paramsBefore(), r.paramsAfter());
    }

    @Test
    void anOverParameterizedLayerIsFoldedThenDecomposed() {
        SplittableRandom rng = random();
        Conv2d planted = PlantedLayers.conv(rng, 16, 16, 3, 3, 3, 0.0, ConvSpec.square(3, 1, 1, 1));
        // the same function as an expanded layer (R_in = 2C, R_out = 2S): A = [I; 0], B = [I, 0], core = W padded
        FactorizedConv2d wide = PlantedLayers.expanded(planted, 32, 32);
        Sequential net = new Sequential().add("stem", new Conv2d(1, 16, 3, 1, 1, false, rng)).add("conv", wide);
        Tensor x = Tensor.uniform(rng, -1, 1, 2, 16, 7, 7);
        float[] y = forward(planted, x);
        DecompositionResult r = Decomposer.decompose(net, new int[] {1, 7, 7}, DecomposerOptions.defaults());
        DecompositionAudit a = r.layers().get(1);
        assertEquals("tucker2", a.decomposition());
        assertTrue(a.notes().get(0).startsWith("folded FactorizedConv2d(R_in = 32, R_out = 32)"));
        assertEquals(List.of(3, 3), List.of(a.ranks()[0], a.ranks()[1]));
        FactorizedConv2d f = assertInstanceOf(FactorizedConv2d.class, net.layers().get(1));
        assertTrue(maxAbsDiff(y, forward(f, x)) < FULL_RANK_OUTPUT_ATOL);
    }

    @Test
    void theAuditLetsAReaderRecomputeEveryRank() throws Exception {
        SplittableRandom rng = random();
        Sequential net = new Sequential().add("stem", new Conv2d(1, 24, 3, 1, 1, false, rng))
                .add("conv", PlantedLayers.conv(rng, 32, 24, 3, 7, 4, 0.05, ConvSpec.square(3, 1, 1, 1)))
                .add("flatten", new Flatten())
                .add("fc", PlantedLayers.linear(rng, 10, 32 * 4 * 4, 2, 0.01));
        DecompositionResult r = Decomposer.decompose(net, new int[] {1, 4, 4}, DecomposerOptions.defaults()
                .withClassifier(true));
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        for (DecompositionAudit a : r.layers()) {
            JsonNode rec = json.readTree(AuditJson.toJson(a).toString());
            for (JsonNode u : rec.get("unfoldings")) {
                assertEquals(EvbmfRecompute.rank(u), u.get("proposed_rank").asInt(), rec.get("layer") + " mode " + u.get("mode"));
                checked++;
            }
        }
        assertEquals(3, checked, "conv (2 unfoldings) and fc (1)");
    }

    static float[] forward(Module m, Tensor x) {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            m.eval();
            return m.forward(x).data();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** ||y - yHat|| / ||y - bias|| over (N, S, P) outputs: the bias cancels in the difference, so leave it out of the scale. */
    static double relativeDiff(float[] y, float[] yHat, float[] bias, int pixels) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < y.length; i++) {
            double d = y[i] - yHat[i];
            double v = y[i] - bias[(i / pixels) % bias.length];
            num += d * d;
            den += v * v;
        }
        return Math.sqrt(num / den);
    }
}
