package org.rankfold.kernels.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;

/** The per-thread layouts and buffers of the padded-grid paths: reused while the shapes repeat, right when not. */
class GridSpaceTest {
    private static final Conv2dGeometry A = new Conv2dGeometry(16, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1);
    private static final Conv2dGeometry B = new Conv2dGeometry(16, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1);

    @Test
    void layoutsAreReusedForTheLastTwoShapes() {
        GridSpace space = new GridSpace();
        PaddedGrid group = space.layout(A, 20);
        PaddedGrid rest = space.layout(A, 8);
        // a chunk in groups of 20 images and a remainder of 8, over and over: no new layout
        for (int i = 0; i < 3; i++) {
            assertSame(group, space.layout(A, 20));
            assertSame(rest, space.layout(A, 8));
        }
        // an equal geometry built anew matches by value
        assertSame(group, space.layout(new Conv2dGeometry(16, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1), 20));
        // a third shape evicts the older of the two
        PaddedGrid other = space.layout(B, 20);
        assertEquals(20, other.images);
        assertEquals(B.outHeight(), other.outH);
        assertSame(group, space.layout(A, 20));
        assertNotSame(rest, space.layout(A, 8));
    }

    @Test
    void singleImageLayoutIsKeptApart() {
        GridSpace space = new GridSpace();
        PaddedGrid many = space.layout(A, 20);
        PaddedGrid one = space.single(A);
        assertEquals(1, one.images);
        assertSame(one, space.single(A));
        assertSame(many, space.layout(A, 20));
        assertEquals(new PaddedGrid(A, 1).size(), one.size());
    }

    @Test
    void rowOffsetsFollowTheirGrid() {
        GridSpace space = new GridSpace();
        int k = A.colRows();
        PaddedGrid first = space.layout(A, 3);
        int[] rows = Arrays.copyOf(space.rowOffsets(first, k), k);
        for (int r = 0; r < k; r++) {
            assertEquals(first.rowStart(r), rows[r], "row " + r);
        }
        PaddedGrid second = space.layout(B, 3);
        int[] again = Arrays.copyOf(space.rowOffsets(second, k), k);
        for (int r = 0; r < k; r++) {
            assertEquals(second.rowStart(r), again[r], "row " + r + " of the stride-2 grid");
        }
        assertTrue(!Arrays.equals(rows, again), "two layouts with different row starts");
        assertArrayEquals(rows, Arrays.copyOf(space.rowOffsets(first, k), k));
    }

    @Test
    void buffersGrowOnlyWhenTooSmall() {
        float[] a = new float[10];
        assertSame(a, GridSpace.atLeast(a, 10));
        assertSame(a, GridSpace.atLeast(a, 3));
        float[] b = GridSpace.atLeast(a, 11);
        assertEquals(11, b.length);
    }
}
