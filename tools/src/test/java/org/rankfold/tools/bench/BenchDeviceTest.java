package org.rankfold.tools.bench;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.opencl.OpenClDevices;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench train|infer|gemm --device opencl} on tiny work (the numbers themselves are not checked; gemm
 * checks its first row against the reference before timing). Skipped, with the reason printed, where no
 * OpenCL device exists; an unknown device is a usage error everywhere.
 */
class BenchDeviceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedCode, code, err.toString());
        return expectedCode == 0 ? out.toString() : err.toString();
    }

    @Test
    void stepsAndGemmRunOnTheDevice() throws Exception {
        OpenClDevices.Discovery d = OpenClDevices.discover();
        String why = d.unavailableReason().orElse("no devices");
        if (d.devices().isEmpty()) {
            System.err.println("SKIPPED (no OpenCL): " + why);
        }
        Assumptions.assumeFalse(d.devices().isEmpty(), () -> "no OpenCL device: " + why);
        for (String mode : new String[] {"train", "infer"}) {
            JsonNode o = JSON.readTree(run(0, "bench", mode, "--model", "lenet5", "--batch", "4", "--runs", "1", "--warmup", "0",
                    "--device", "opencl", "--json"));
            assertEquals("opencl", o.get("device").asText());
            assertTrue(o.get("backend").asText().startsWith("OpenCL"), o.toString());
            assertTrue(o.get("images_per_s").asDouble() > 0, o.toString());
        }
        JsonNode g = JSON.readTree(run(0, "bench", "gemm", "--m", "33", "--n", "17", "--k", "9", "--variant", "TN", "--runs", "1",
                "--warmup", "0", "--device", "opencl:0", "--json"));
        assertEquals("opencl", g.get("backend").asText());
        assertTrue(g.get("gflops").asDouble() > 0, g.toString());
    }

    @Test
    void unknownDeviceIsAUsageError() {
        assertTrue(run(2, "bench", "gemm", "--device", "gpu").contains("cpu, opencl or opencl:N"));
        assertTrue(run(2, "bench", "train", "--device", "opencl:x").contains("cpu, opencl or opencl:N"));
    }
}
