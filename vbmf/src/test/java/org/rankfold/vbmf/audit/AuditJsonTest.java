package org.rankfold.vbmf.audit;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.RankChoice;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.testing.GoldenNpz;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON of audit records (one line each in a run's audit.jsonl) and the cost formulas they carry. */
class AuditJsonTest extends SeededTest {

    private static DecompositionAudit conv(String layer, String goldenKey, int size) {
        DenseTensor w = GoldenNpz.load("trained_kernels.npz").tensor(goldenKey);
        EvbmfSelector sel = new EvbmfSelector();
        RankChoice c0 = sel.select(Unfolding.unfold(w, 0));
        RankChoice c1 = sel.select(Unfolding.unfold(w, 1));
        Tucker2Result t = Tucker2.decompose(w, c0.rank(), c1.rank());
        ConvCost cost = new ConvCost(w.dim(0), w.dim(1), 3, 3, size, size, size, size, false);
        return DecompositionAudit.tucker2("decompose", layer, c0, c1, t, cost, 0.01);
    }

    @Test
    void writesOneParsableLinePerRecord() throws Exception {
        // the pipeline writes each record as its one-line JSON text
        String text = AuditJson.toJson(conv("conv3", "conv3_w", 7)) + "\n"
                + AuditJson.toJson(conv("conv1", "conv1_w", 28)) + "\n";
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode a = mapper.readTree(lines[0]);
        assertEquals("conv3", a.get("layer").asText());
        assertEquals("tucker2", a.get("decomposition").asText());
        assertEquals(14, a.get("ranks").get(0).asInt());
        assertEquals(13, a.get("ranks").get(1).asInt());
        JsonNode u0 = a.get("unfoldings").get(0);
        assertEquals(64, u0.get("shape").get(0).asInt());
        assertEquals(576, u0.get("shape").get(1).asInt());
        assertEquals(64, u0.get("singular_values").size());
        assertTrue(u0.get("sigma2").asDouble() > 0);
        assertTrue(a.get("params_after").asLong() < a.get("params_before").asLong());
        assertEquals(64L * 64 * 9, a.get("params_before").asLong());
        // conv1 [32, 1, 3, 3]: EVBMF proposes 0 on both modes, clamped to 1 and said so
        JsonNode b = mapper.readTree(lines[1]);
        assertEquals(1, b.get("ranks").get(0).asInt());
        assertTrue(b.get("unfoldings").get(0).get("clamped_to_one").asBoolean());
        assertEquals(0, b.get("unfoldings").get(0).get("proposed_rank").asInt());
        assertTrue(b.get("notes").get(0).asText().contains("clamped to 1"), b.get("notes").toString());
    }

    @Test
    void notApplicableNumbersAreNull() {
        DecompositionAudit skipped = new DecompositionAudit("decompose", "fc", "skipped", new int[] {10, 576},
                List.of(), new int[0], Double.NaN, Double.NaN, 0, 5770, 5770, 5760, 5760, 0,
                List.of("linear layers are left dense"));
        JsonNode j = AuditJson.toJson(skipped);
        assertTrue(j.get("relative_error").isNull());
        assertEquals("linear layers are left dense", j.get("notes").get(0).asText());
    }

    @Test
    void convCostFollowsTheDesignFormulas() {
        ConvCost c = new ConvCost(64, 32, 3, 3, 16, 16, 8, 8, true);
        assertEquals(64L * 32 * 9 + 64, c.denseParams());
        assertEquals(8L * 8 * 64 * 32 * 9, c.denseMacs());
        assertEquals(32L * 6 + 6L * 10 * 9 + 10L * 64 + 64, c.tuckerParams(10, 6));
        assertEquals(16L * 16 * 32 * 6 + 8L * 8 * 6 * 10 * 9 + 8L * 8 * 10 * 64, c.tuckerMacs(10, 6));
    }
}
