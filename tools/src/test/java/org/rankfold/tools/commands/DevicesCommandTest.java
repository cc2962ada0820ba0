package org.rankfold.tools.commands;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.opencl.OpenClDevices;
import org.rankfold.tools.Main;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rankfold devices` lists what discovery finds, as text or one JSON object, or says why there is nothing. */
class DevicesCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void jsonIsOneObjectMatchingDiscovery() throws Exception {
        String[] r = run("devices", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode root = new ObjectMapper().readTree(r[1]);
        OpenClDevices.Discovery d = OpenClDevices.discover();
        assertEquals(!d.devices().isEmpty(), root.get("available").asBoolean());
        if (d.devices().isEmpty()) {
            System.err.println("DevicesCommandTest: no OpenCL here: " + root.get("reason").asText());
            assertTrue(root.get("reason").asText().length() > 10, r[1]);
        } else {
            JsonNode dev = root.get("platforms").get(0).get("devices").get(0);
            assertEquals(d.devices().get(0).name(), dev.get("name").asText());
            assertTrue(dev.get("compute_units").asInt() >= 1, r[1]);
            assertTrue(dev.get("global_memory_bytes").asLong() > 0, r[1]);
            assertTrue(dev.get("version").asText().startsWith("OpenCL"), r[1]);
            assertTrue(root.get("reason").isNull(), r[1]);
        }
    }

    @Test
    void textNamesEveryDeviceOrTheReason() {
        String[] r = run("devices");
        assertEquals("0", r[0], r[2]);
        OpenClDevices.Discovery d = OpenClDevices.discover();
        if (d.devices().isEmpty()) {
            assertTrue(r[1].startsWith("No OpenCL device: "), r[1]);
        } else {
            d.devices().forEach(dev -> assertTrue(r[1].contains(dev.name()), r[1]));
            assertTrue(r[1].contains("compute units") && r[1].contains("global memory") && r[1].contains("(default)"),
                    r[1]);
        }
    }
}
