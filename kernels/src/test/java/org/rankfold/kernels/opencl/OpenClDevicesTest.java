package org.rankfold.kernels.opencl;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.BackendProvider;
import org.rankfold.kernels.Backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery, device selection and the service provider. */
class OpenClDevicesTest {

    @Test
    void discoveryDescribesEveryDevice() {
        OpenClTestDevice.runtime();
        OpenClDevices.Discovery d = OpenClDevices.discover();
        assertTrue(d.unavailableReason().isEmpty(), d.unavailableReason().toString());
        List<DeviceInfo> all = d.devices();
        assertFalse(all.isEmpty());
        for (int i = 0; i < all.size(); i++) {
            DeviceInfo dev = all.get(i);
            assertEquals(i, dev.index());
            assertFalse(dev.name().isBlank());
            assertFalse(dev.vendor().isBlank());
            assertTrue(dev.computeUnits() >= 1, dev.summary());
            assertTrue(dev.globalMemBytes() > 0 && dev.localMemBytes() > 0, dev.summary());
            assertTrue(dev.maxWorkGroupSize() >= 1, dev.summary());
            assertTrue(dev.version().startsWith("OpenCL "), dev.version());
            assertTrue(dev.type().contains("CPU") || dev.type().contains("GPU") || dev.type().contains("ACCEL"),
                    dev.type());
        }
        assertTrue(d.platforms().get(0).version().startsWith("OpenCL "), d.platforms().get(0).version());
    }

    @Test
    void selectionByIndexAndItsErrors() {
        OpenClTestDevice.runtime();
        OpenClDevices.Discovery d = OpenClDevices.discover();
        assertEquals(0, OpenClDevices.select(d, 0).index());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenClDevices.select(d, d.devices().size()));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        String old = System.getProperty(OpenClDevices.DEVICE_PROPERTY);
        try {
            System.setProperty(OpenClDevices.DEVICE_PROPERTY, "x");
            assertThrows(IllegalArgumentException.class, () -> OpenClDevices.select(d, -1));
            System.setProperty(OpenClDevices.DEVICE_PROPERTY, "0");
            assertEquals(0, OpenClDevices.select(d, 5).index(), "the property wins");
        } finally {
            if (old == null) {
                System.clearProperty(OpenClDevices.DEVICE_PROPERTY);
            } else {
                System.setProperty(OpenClDevices.DEVICE_PROPERTY, old);
            }
        }
    }

    @Test
    void typeNames() {
        assertEquals("GPU", OpenClDevices.typeName(4));
        assertEquals("CPU", OpenClDevices.typeName(2));
        assertEquals("OTHER(16)", OpenClDevices.typeName(16));
    }

    @Test
    void providerIsRegisteredBelowTheCpuAndCreatesAWorkingBackend() throws Exception {
        OpenClTestDevice.runtime();
        BackendProvider p = Backends.providers().stream().filter(x -> x.name().equals("opencl")).findFirst()
                .orElseThrow(() -> new AssertionError("opencl provider not registered"));
        assertTrue(p.priority() < 0, "never the default");
        assertTrue(p.isAvailable(), p.unavailableReason());
        Backend b = p.create();
        try {
            assertEquals("opencl", b.name());
            float[] y = new float[3];
            b.relu(3, new float[] {-1, 2, 0}, 0, y, 0);
            assertEquals(List.of(0f, 2f, 0f), List.of(y[0], y[1], y[2]));
        } finally {
            ((AutoCloseable) b).close();
        }
    }
}
