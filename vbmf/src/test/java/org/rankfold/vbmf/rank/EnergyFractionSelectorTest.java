package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnergyFractionSelectorTest extends RankSelectorContract {

    @Override
    RankSelector selector() {
        return new EnergyFractionSelector(0.9);
    }

    @Test
    void keepsTheSmallestPrefixWithTheEnergy() {
        // singular values 4, 3, 2, 1: energies 16, 9, 4, 1 of 30
        DMatrixRMaj d = new DMatrixRMaj(4, 6);
        d.set(0, 0, 4);
        d.set(1, 1, 3);
        d.set(2, 2, 2);
        d.set(3, 3, 1);
        assertEquals(1, new EnergyFractionSelector(16.0 / 30).select(d).rank());
        assertEquals(2, new EnergyFractionSelector(0.6).select(d).rank());
        assertEquals(2, new EnergyFractionSelector(25.0 / 30).select(d).rank());
        assertEquals(3, new EnergyFractionSelector(0.9).select(d).rank());
        assertEquals(4, new EnergyFractionSelector(1).select(d).rank());
        assertThrows(IllegalArgumentException.class, () -> new EnergyFractionSelector(0));
        assertThrows(IllegalArgumentException.class, () -> new EnergyFractionSelector(1.01));
    }
}
