package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedRankSelectorTest extends RankSelectorContract {

    @Override
    RankSelector selector() {
        return new FixedRankSelector(4);
    }

    @Test
    void lowersToTheFullRank() {
        RankChoice c = new FixedRankSelector(12).select(new DMatrixRMaj(5, 40));
        assertEquals(5, c.rank());
        assertEquals(12, c.proposedRank());
        assertTrue(c.notes().get(0).contains("full rank"), c.notes().toString());
        assertThrows(IllegalArgumentException.class, () -> new FixedRankSelector(0));
    }
}
