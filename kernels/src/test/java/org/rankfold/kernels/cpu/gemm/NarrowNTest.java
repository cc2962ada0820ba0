package org.rankfold.kernels.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When {@link NarrowN} reads a partial panel of a transposed A in place: only where the array holds a whole
 * vector from the panel's last k-step (the values are checked against the blocked path in
 * {@code GemmEpilogueTest.narrowProductsEqualTheSameColumnsOfAWideOne}, with and without spare floats).
 */
class NarrowNTest {
    @Test
    void aPartialPanelIsReadInPlaceOnlyWhereTheArrayHoldsAWholeVector() {
        // 12 rows of 16 lanes, 3 k-steps of 44 floats from 32: the last step's vector ends at 32 + 88 + 16 = 136
        assertTrue(NarrowN.readsInPlace(16, 12, 136, 32, 3, 44));
        assertFalse(NarrowN.readsInPlace(16, 12, 135, 32, 3, 44));
        assertTrue(NarrowN.readsInPlace(16, 16, 120, 32, 3, 44), "a whole panel needs no spare floats");
        // offsets near Integer.MAX_VALUE do not overflow into a yes
        assertFalse(NarrowN.readsInPlace(16, 12, Integer.MAX_VALUE, Integer.MAX_VALUE - 20, 3, 44));
    }
}
