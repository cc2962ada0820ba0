package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvbmfSelectorTest extends RankSelectorContract {

    @Override
    RankSelector selector() {
        return new EvbmfSelector();
    }

    @Test
    void findsThePlantedRank() {
        RankChoice c = selector().select(lowRankPlusNoise(24, 200));
        assertEquals(3, c.rank());
        assertEquals(3, c.proposedRank());
        assertTrue(c.evbmfDetails().isPresent());
        assertTrue(c.notes().isEmpty(), c.notes().toString());
    }

    @Test
    void zeroMatrixProposesZero() {
        RankChoice c = selector().select(new DMatrixRMaj(5, 9));
        assertEquals(0, c.proposedRank());
        assertTrue(c.clampedToOne());
    }

    @Test
    void weakeningMovesTowardsTheFullRank() {
        DMatrixRMaj m = lowRankPlusNoise(24, 200);
        // r_full = 24, r_evbmf = 3: r = 24 - w * 21
        assertEquals(24, new EvbmfSelector(0, 1, Integer.MAX_VALUE).select(m).rank());
        assertEquals(3, new EvbmfSelector(1, 1, Integer.MAX_VALUE).select(m).rank());
        RankChoice half = new EvbmfSelector(0.5, 1, Integer.MAX_VALUE).select(m);
        assertEquals(24 - 10, half.rank(), "24 - floor(10.5)");
        assertEquals(3, half.proposedRank());
        assertTrue(half.notes().get(0).contains("weakened"), half.notes().toString());
    }

    @Test
    void minAndMaxRankClamp() {
        DMatrixRMaj m = lowRankPlusNoise(24, 200);
        assertEquals(5, new EvbmfSelector(1, 5, 10).select(m).rank());
        assertEquals(2, new EvbmfSelector(1, 1, 2).select(m).rank());
        assertEquals(24, new EvbmfSelector(1, 30, 40).select(m).rank(), "a minimum above the full rank");
        assertThrows(IllegalArgumentException.class, () -> new EvbmfSelector(1.5, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new EvbmfSelector(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new EvbmfSelector(1, 0, 2));
    }
}
