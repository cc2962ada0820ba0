package org.rankfold.engine.optim;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LrScheduleTest extends SeededTest {

    @Test
    void stepDecay() {
        LrSchedule s = LrSchedule.step(0.1, 30, 0.1);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(0.1, s.at(29), 1e-15);
        assertEquals(0.01, s.at(30), 1e-15);
        assertEquals(0.001, s.at(65), 1e-15);
    }

    @Test
    void cosineAnnealing() {
        LrSchedule s = LrSchedule.cosine(0.1, 100, 0.001);
        assertEquals(0.1, s.at(0), 1e-15);
        assertEquals(0.001 + 0.099 / 2, s.at(50), 1e-12);
        assertEquals(0.001, s.at(100), 1e-15);
        assertEquals(0.001, s.at(150), 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI / 4)) / 2, s.at(25), 1e-12);
    }

    @Test
    void linearWarmupThenCosine() {
        LrSchedule s = LrSchedule.warmup(10, 0.1, LrSchedule.cosine(0.2, 90, 0));
        assertEquals(0.02, s.at(0), 1e-12);
        assertEquals(0.2 * (0.1 + 0.9 * 5 / 10.0), s.at(5), 1e-12);
        assertEquals(0.2, s.at(10), 1e-12);
        assertEquals(0.1, s.at(55), 1e-12);
        assertEquals(0.0, s.at(100), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmup(-1, 0.5, LrSchedule.constant(1)));
    }
}
