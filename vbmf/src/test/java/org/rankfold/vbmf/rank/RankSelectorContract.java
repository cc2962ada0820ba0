package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.testing.RandomMatrices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link RankSelector} promises; each implementation's test is a short subclass. */
abstract class RankSelectorContract extends SeededTest {

    /** The selector under test. */
    abstract RankSelector selector();

    DMatrixRMaj lowRankPlusNoise(int rows, int cols) {
        return RandomMatrices.planted(random(), rows, cols, new double[] {120, 90, 60}, 0.5);
    }

    @Test
    void rankIsBetweenOneAndTheFullRankForWideAndTallMatrices() {
        for (int[] shape : new int[][] {{16, 144}, {144, 16}, {30, 30}, {1, 9}, {9, 1}}) {
            DMatrixRMaj m = lowRankPlusNoise(shape[0], shape[1]);
            RankChoice c = selector().select(m);
            int full = Math.min(shape[0], shape[1]);
            assertEquals(full, c.fullRank(), "full rank of " + shape[0] + "x" + shape[1]);
            assertTrue(c.rank() >= 1 && c.rank() <= full, "rank " + c.rank() + " of " + shape[0] + "x" + shape[1]);
            assertTrue(c.proposedRank() >= 0, "proposed " + c.proposedRank());
            assertEquals(selector().describe(), c.selector());
        }
    }

    @Test
    void zeroProposalIsClampedToOneAndReported() {
        RankChoice c = selector().select(new DMatrixRMaj(6, 20));
        assertTrue(c.rank() >= 1);
        assertEquals(c.proposedRank() == 0, c.clampedToOne());
        if (c.clampedToOne()) {
            assertEquals(1, c.rank());
            assertTrue(c.notes().stream().anyMatch(n -> n.contains("clamped to 1")), c.notes().toString());
        }
    }

    @Test
    void deterministicAndLeavesTheInputAlone() {
        DMatrixRMaj m = lowRankPlusNoise(20, 60);
        DMatrixRMaj copy = m.copy();
        RankChoice a = selector().select(m);
        RankChoice b = selector().select(m);
        assertArrayEquals(copy.data, m.data);
        assertEquals(a.rank(), b.rank());
        assertEquals(a.notes(), b.notes());
    }

    @Test
    void rejectsNonFiniteInput() {
        DMatrixRMaj m = lowRankPlusNoise(8, 20);
        m.set(3, 4, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> selector().select(m));
    }

    @Test
    void describesItself() {
        assertFalse(selector().describe().isBlank());
    }
}
