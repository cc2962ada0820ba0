package org.rankfold.vbmf.evbmf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedMinimizerTest {

    @Test
    void findsAnInteriorMinimumOfASmoothFunction() {
        BoundedMinimizer.Result r = BoundedMinimizer.minimize(x -> (x - 0.3) * (x - 0.3) + Math.cos(x), -2, 3, 1e-12, 500);
        // derivative 2(x - 0.3) - sin x = 0
        assertEquals(0, 2 * (r.x() - 0.3) - Math.sin(r.x()), 1e-7);
        assertTrue(r.converged());
        assertTrue(r.evaluations() < 40, "Brent needs few evaluations on a smooth function: " + r.evaluations());
    }

    @Test
    void staysInsideTheBoundsWhenTheMinimumIsOnOne() {
        BoundedMinimizer.Result r = BoundedMinimizer.minimize(x -> -x, 1, 2, 1e-10, 500);
        assertTrue(r.x() <= 2 && r.x() > 2 - 1e-7, "close to the upper bound: " + r.x());
        BoundedMinimizer.Result l = BoundedMinimizer.minimize(x -> x, 1, 2, 1e-10, 500);
        assertTrue(l.x() >= 1 && l.x() < 1 + 1e-7, "close to the lower bound: " + l.x());
    }

    @Test
    void handlesAKinkAndNonSmoothFunction() {
        BoundedMinimizer.Result r = BoundedMinimizer.minimize(x -> Math.abs(x - 0.7), 0, 10, 1e-12, 500);
        assertEquals(0.7, r.x(), 1e-8);
    }

    @Test
    void degenerateIntervalIsItsPoint() {
        BoundedMinimizer.Result r = BoundedMinimizer.minimize(x -> x * x, 2, 2, 1e-12, 500);
        assertEquals(2, r.x());
        assertEquals(1, r.evaluations());
    }

    @Test
    void iterationCapIsReported() {
        BoundedMinimizer.Result r = BoundedMinimizer.minimize(x -> Math.abs(x - 0.123), 0, 1, 1e-15, 3);
        assertTrue(!r.converged());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> BoundedMinimizer.minimize(x -> x, 2, 1, 1e-6, 10));
        assertThrows(IllegalArgumentException.class, () -> BoundedMinimizer.minimize(x -> x, 0, Double.NaN, 1e-6, 10));
        assertThrows(IllegalArgumentException.class, () -> BoundedMinimizer.minimize(x -> x, 0, 1, 0, 10));
    }
}
