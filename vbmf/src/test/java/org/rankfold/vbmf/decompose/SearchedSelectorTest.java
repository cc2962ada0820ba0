package org.rankfold.vbmf.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.rank.EnergyFractionSelector;
import org.rankfold.vbmf.rank.FixedRatioSelector;
import org.rankfold.vbmf.rank.RankSelector;

/**
 * A target ratio with {@code --selector energy} or {@code ratio}: the search finds the largest energy fraction / rank
 * ratio whose plan meets the target, so the selectors can be compared with EVBMF at matched params.
 */
class SearchedSelectorTest extends SeededTest {
    private static final int[] IN = {1, 6, 6};

    private Sequential model() {
        return TargetRatioSearchTest.plantedModel(random());
    }

    private static RankSettings settings(String selector, double paramsTarget, double macsTarget) {
        return new RankSettings(selector, 1, 1, Integer.MAX_VALUE, paramsTarget, macsTarget, false, true, false, false);
    }

    private static double paramsAt(Sequential net, RankSelector s) {
        return DecompositionPlanner.plan(net, IN, DecomposerOptions.defaults().withSelector(s)).paramsRatio();
    }

    @Test
    void energyAndRatioSearchTheLargestFractionThatMeetsAParamsTarget() {
        Sequential net = model();
        // half-way to what rank 1 everywhere gives
        double target = 1 + 0.5 * (paramsAt(net, new FixedRatioSelector(SelectorSpec.MIN_SEARCHED_VALUE)) - 1);
        assertTrue(target > 1.1, "target " + target);
        for (String kind : new String[] {"energy", "ratio"}) {
            RankPlanning p = RankPlanning.plan(net, IN, settings(kind, target, 0), "decompose", null);
            assertTrue(p.search().met(), kind);
            double v = p.searchedValue();
            assertTrue(v > 0 && v < 1, kind + " value " + v);
            assertEquals(1 - p.weakening(), v, 1e-15);
            assertTrue(p.plan().paramsRatio() >= target, kind + ": " + p.plan().paramsRatio());
            // the plan at the found value is the plan applied later (the tucker phase rebuilds the options from t)
            RankSelector at = kind.equals("energy") ? new EnergyFractionSelector(v) : new FixedRatioSelector(v);
            assertEquals(p.plan().paramsRatio(), paramsAt(net, at), 0);
            assertEquals(at.describe(), p.options().selector().describe());
            // a fraction a little larger (one bisection bracket and a bit) keeps more and misses the target
            double larger = v + 2 * RankPlanning.SEARCHED_TOLERANCE;
            RankSelector more = kind.equals("energy") ? new EnergyFractionSelector(larger) : new FixedRatioSelector(larger);
            assertTrue(paramsAt(net, more) < target, kind + ": " + larger + " still meets the target");

            JsonNode rec = p.targetRecord("x/ranks", "plain");
            assertEquals(kind, rec.get("selector").asText());
            String field = kind.equals("energy") ? "energy_fraction" : "rank_ratio";
            assertEquals(v, rec.get(field).asDouble(), 0);
            assertEquals(p.plan().paramsRatio(), rec.get("params_ratio").asDouble(), 0);
            assertTrue(rec.get("steps").size() > 10, "bisected to a fine bracket");
            assertTrue(rec.get("steps").get(0).has(field));
        }
    }

    @Test
    void aMacsTargetIsMetAndAnUnreachableOneIsReported() {
        Sequential net = model();
        double most = DecompositionPlanner.plan(net, IN, DecomposerOptions.defaults()
                .withSelector(new EnergyFractionSelector(SelectorSpec.MIN_SEARCHED_VALUE))).macsRatio();
        double target = 1 + 0.5 * (most - 1);
        RankPlanning m = RankPlanning.plan(net, IN, settings("energy", 0, target), "decompose", null);
        assertTrue(m.search().met());
        assertTrue(m.plan().macsRatio() >= target && m.plan().macsRatio() < most, m.plan().macsRatio() + " for " + target);
        RankPlanning far = RankPlanning.plan(net, IN, settings("ratio", 1e6, 0), "decompose", null);
        assertFalse(far.search().met());
        assertEquals(SelectorSpec.MIN_SEARCHED_VALUE, far.searchedValue(), 0, "the most aggressive end: rank 1");
    }

    @Test
    void aSearchedSelectorNeedsATargetAndEvbmfHasNoSearchedValue() {
        assertTrue(SelectorSpec.isSearched("energy") && SelectorSpec.isSearched(" Ratio "));
        assertFalse(SelectorSpec.isSearched("energy:0.9") || SelectorSpec.isSearched("evbmf"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelectorSpec.parse("energy", 1, 1, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("needs a target ratio"), e.getMessage());
        RankPlanning p = RankPlanning.plan(model(), IN, settings("evbmf", 2, 0), "decompose", null);
        assertTrue(Double.isNaN(p.searchedValue()));
        assertEquals("evbmf", p.targetRecord("x", null).get("selector").asText());
        assertFalse(p.targetRecord("x", null).has("energy_fraction"));
    }
}
