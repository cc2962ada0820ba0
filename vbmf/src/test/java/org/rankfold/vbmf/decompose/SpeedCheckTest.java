package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.LayerTiming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --speed-aware}: the decision with an injected, deterministic timer, and one real timing. */
class SpeedCheckTest extends SeededTest {
    private static final int[] INPUT = {3, 10, 10};

    private Sequential net() {
        SplittableRandom rng = random();
        return new Sequential()
                .add("stem", new Conv2d(3, 16, 3, 1, 1, false, rng))
                .add("conv", PlantedLayers.conv(rng, 32, 16, 3, 4, 3, 0.01, ConvSpec.square(3, 2, 1, 1)))
                .add("flatten", new Flatten())
                .add("fc", PlantedLayers.linear(rng, 10, 32 * 5 * 5, 3, 0.01));
    }

    /**
     * Says a conv takes 10 ms and its Tucker-2 form {@code tuckerMs}; a linear layer 4 ms and its two factors 1 ms.
     * Records every call's input shape and decomposed form.
     */
    private static final class FixedTimer implements LayerTimer {
        final double tuckerMs;
        final List<String> calls = new ArrayList<>();
        final List<Module> forms = new ArrayList<>();

        FixedTimer(double tuckerMs) {
            this.tuckerMs = tuckerMs;
        }

        @Override
        public Times time(Module original, Module decomposed, int[] inputShape) {
            calls.add(original.getClass().getSimpleName() + " " + Arrays.toString(inputShape));
            forms.add(decomposed);
            return original instanceof Linear ? new Times(4e-3, 1e-3, 5) : new Times(10e-3, tuckerMs * 1e-3, 5);
        }
    }

    private static DecomposerOptions options(FixedTimer timer, double margin) {
        return DecomposerOptions.defaults().withClassifier(true).withSpeed(new SpeedCheck(timer, 8, 2, margin));
    }

    @Test
    void aLayerNotFasterByTheMarginStaysDenseAndTheAuditHasBothTimings() {
        Sequential model = net();
        FixedTimer timer = new FixedTimer(9.8); // 2% faster, the margin asks for 5%
        DecomposerOptions o = options(timer, 0.05);
        DecompositionPlan plan = DecompositionPlanner.plan(model, INPUT, o);
        assertEquals(List.of("Conv2d [8, 16, 10, 10]", "Linear [8, 800]"), timer.calls,
                "each candidate layer timed once on its real input at the run's batch");
        FactorizedConv2d form = assertInstanceOf(FactorizedConv2d.class, timer.forms.get(0));
        LayerPlan conv = plan.layers().get(1);
        assertEquals(Method.SKIPPED, conv.method());
        assertEquals(conv.ranks()[0], form.rankOut());
        assertEquals(conv.ranks()[1], form.rankIn());
        assertTrue(conv.notes().get(0).startsWith("not measured faster at ranks"), conv.notes().get(0));
        assertEquals(conv.paramsBefore(), conv.paramsAfter());
        LayerPlan fc = plan.layers().get(2);
        assertEquals(Method.SVD, fc.method());
        Sequential fcForm = assertInstanceOf(Sequential.class, timer.forms.get(1));
        assertEquals(fc.ranks()[0], ((Linear) fcForm.children().values().iterator().next()).weight().dim(0));

        DecompositionResult r = Decomposer.apply(model, plan, o);
        assertInstanceOf(Conv2d.class, model.children().get("conv"));
        JsonNode convJson = AuditJson.toJson(r.layers().get(1));
        assertEquals("skipped", convJson.get("decomposition").asText());
        assertEquals(0.010, convJson.at("/speed/original_seconds").asDouble(), 0);
        assertEquals(9.8 * 1e-3, convJson.at("/speed/decomposed_seconds").asDouble(), 0);
        assertEquals(false, convJson.at("/speed/faster").asBoolean());
        assertEquals(8, convJson.at("/speed/batch").asInt());
        assertEquals(2, convJson.at("/speed/threads").asInt());
        JsonNode fcJson = AuditJson.toJson(r.layers().get(2));
        assertEquals("svd", fcJson.get("decomposition").asText());
        assertEquals(true, fcJson.at("/speed/faster").asBoolean());
        assertEquals(4.0, fcJson.at("/speed/speedup").asDouble(), 1e-12);
        assertNull(r.layers().get(0).timing(), "a layer excluded before ranks is not timed");
        LayerTiming back = AuditJson.timing(fcJson.get("speed"));
        assertEquals(r.layers().get(2).timing(), back);
    }

    @Test
    void fasterByTheMarginIsDecomposedAndTimingsAreMeasuredOncePerRanks() {
        Sequential model = net();
        FixedTimer timer = new FixedTimer(9.0); // 10% faster
        DecomposerOptions o = options(timer, 0.05);
        DecompositionPlan first = DecompositionPlanner.plan(model, INPUT, o);
        DecompositionPlanner.plan(model, INPUT, o);
        assertEquals(2, timer.calls.size(), "the second plan reuses the timings");
        assertEquals(Method.TUCKER2, first.layers().get(1).method());
        // the same decision at margin 0 for 2%, and the plan is the one without the check when all are faster
        assertEquals(Method.TUCKER2, DecompositionPlanner.plan(model, INPUT, options(new FixedTimer(9.8), 0)).layers()
                .get(1).method());
        DecompositionPlan unchecked = DecompositionPlanner.plan(model, INPUT, DecomposerOptions.defaults().withClassifier(true));
        assertEquals(unchecked.paramsAfter(), first.paramsAfter());
        // a remembered timing is used instead of timing again (a resumed run reproduces its decisions)
        FixedTimer never = new FixedTimer(1);
        SpeedCheck remembered = new SpeedCheck(never, 8, 2, 0.05);
        SpeedCheck measured = o.speed();
        measured.known().forEach((k, t) -> remembered.remember(k, new LayerTiming(t.originalSeconds(), 1.0, 0.05, 8, 2, 5)));
        DecompositionPlan replayed = DecompositionPlanner.plan(model, INPUT, DecomposerOptions.defaults().withClassifier(true).withSpeed(remembered));
        assertEquals(List.of(), never.calls);
        assertEquals(Method.SKIPPED, replayed.layers().get(1).method());
        assertEquals(Method.SKIPPED, replayed.layers().get(2).method());
    }

    @Test
    void theRealTimerMeasuresBothFormsAndTheDecisionFollowsItsTimes() {
        Sequential model = net();
        DecomposerOptions o = DecomposerOptions.defaults().withClassifier(true).withSpeed(new SpeedCheck(new ForwardTimer(1, 0, 3), 4, 1, 0.05));
        DecompositionPlan plan = DecompositionPlanner.plan(model, INPUT, o);
        for (LayerPlan p : plan.layers().subList(1, 3)) {
            LayerTiming t = p.timing();
            assertTrue(t.originalSeconds() > 0 && t.decomposedSeconds() > 0, p.name() + ": " + t);
            assertEquals(3, t.repetitions());
            assertEquals(t.faster(), p.method() != Method.SKIPPED, p.name() + ": " + t + " " + p.notes());
        }
        DecompositionResult r = Decomposer.apply(model, plan, o);
        for (DecompositionAudit a : r.layers().subList(1, 3)) {
            assertNotEquals(null, a.timing());
        }
    }
}
