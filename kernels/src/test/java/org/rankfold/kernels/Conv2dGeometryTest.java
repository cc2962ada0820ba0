package org.rankfold.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The geometry's checks: each invalid field is named in the message; valid shapes give PyTorch's output size. */
class Conv2dGeometryTest {
    private static String problem(int... f) {
        return assertThrows(IllegalArgumentException.class, () -> new Conv2dGeometry(f[0], f[1], f[2], f[3], f[4],
                f[5], f[6], f[7], f[8], f[9], f[10])).getMessage();
    }

    @Test
    void eachInvalidFieldIsNamed() {
        assertTrue(problem(0, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1).contains("channels must be >= 1, got 0"));
        assertTrue(problem(1, 0, 4, 3, 3, 1, 1, 1, 1, 1, 1).contains("input size must be >= 1, got 0x4"));
        assertTrue(problem(1, 4, 4, 3, 0, 1, 1, 1, 1, 1, 1).contains("kernel size must be >= 1, got 3x0"));
        assertTrue(problem(1, 4, 4, 3, 3, 0, 1, 1, 1, 1, 1).contains("stride must be >= 1, got 0x1"));
        assertTrue(problem(1, 4, 4, 3, 3, 1, 1, -1, 1, 1, 1).contains("padding must be >= 0, got -1x1"));
        assertTrue(problem(1, 4, 4, 3, 3, 1, 1, 1, 1, 1, 0).contains("dilation must be >= 1, got 1x0"));
        assertTrue(problem(1, 2, 2, 5, 5, 1, 1, 0, 0, 1, 1).contains("kernel 5x5 (dilation 1x1) does not fit input 2x2"));
        assertTrue(problem(40000, 200, 200, 3, 3, 1, 1, 1, 1, 1, 1).contains("exceeds 2^31"));
    }

    @Test
    void outputSizeFollowsTheConvolutionFormula() {
        var g = new Conv2dGeometry(3, 28, 27, 3, 2, 2, 1, 1, 0, 2, 1);
        assertEquals((28 + 2 - 2 * 2 - 1) / 2 + 1, g.outHeight());
        assertEquals(27 - 1 - 1 + 1, g.outWidth());
        assertEquals(3 * 3 * 2, g.colRows());
    }
}
