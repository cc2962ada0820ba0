package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedRatioSelectorTest extends RankSelectorContract {

    @Override
    RankSelector selector() {
        return new FixedRatioSelector(0.25);
    }

    @Test
    void roundsUpExactly() {
        assertEquals(3, new FixedRatioSelector(0.3).select(new DMatrixRMaj(10, 40)).rank(), "0.3 * 10 is 3");
        assertEquals(4, new FixedRatioSelector(0.31).select(new DMatrixRMaj(40, 10)).rank());
        assertEquals(1, new FixedRatioSelector(0.01).select(new DMatrixRMaj(10, 40)).rank());
        assertEquals(10, new FixedRatioSelector(1).select(new DMatrixRMaj(10, 40)).rank());
        assertThrows(IllegalArgumentException.class, () -> new FixedRatioSelector(0));
    }
}
