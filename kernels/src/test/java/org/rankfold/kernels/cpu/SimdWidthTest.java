package org.rankfold.kernels.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** -Drankfold.simd.bits picks the width; anything but 0/128/256/512 is refused with the property's name. */
class SimdWidthTest {

    @Test
    void propertyForcesTheWidth() {
        String old = System.getProperty(SimdWidth.PROPERTY);
        try {
            for (SimdWidth w : SimdWidth.values()) {
                System.setProperty(SimdWidth.PROPERTY, Integer.toString(w.bits()));
                assertEquals(w, SimdWidth.configured());
                try (CpuBackend cpu = new CpuBackend(1)) {
                    assertEquals(w, cpu.width());
                    assertEquals(w.bits(), cpu.gemmEngine().config().kernel().vectorBits());
                }
            }
            System.setProperty(SimdWidth.PROPERTY, "192");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SimdWidth::configured);
            assertEquals("SIMD width must be 0, 128, 256 or 512 bits, got 192", e.getMessage());
            System.setProperty(SimdWidth.PROPERTY, "wide");
            assertThrows(IllegalArgumentException.class, SimdWidth::configured);
            System.clearProperty(SimdWidth.PROPERTY);
            assertEquals(SimdWidth.preferred(), SimdWidth.configured());
        } finally {
            if (old == null) {
                System.clearProperty(SimdWidth.PROPERTY);
            } else {
                System.setProperty(SimdWidth.PROPERTY, old);
            }
        }
    }
}
