package org.rankfold.kernels;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.cpu.CpuBackend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU backend is registered through META-INF/services and chosen by name; unknown names fail clearly. */
class BackendsTest {

    @Test
    void cpuProviderIsRegisteredAvailableAndChosenByName() {
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("cpu") && p.isAvailable()),
                "cpu provider registered and available (the tests run with the Vector API module)");
        Backend cpu = Backends.choose("cpu");
        assertInstanceOf(CpuBackend.class, cpu);
        ((CpuBackend) cpu).close();
        assertEquals("ref", Backends.choose("REF").name());
    }

    @Test
    void unknownBackendNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.choose("tpu"));
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }
}
