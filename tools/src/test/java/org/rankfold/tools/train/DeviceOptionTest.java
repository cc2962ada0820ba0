package org.rankfold.tools.train;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.opencl.OpenClDevices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --device opencl[:N]} of train and eval on the bundled sample (a tiny budget): training on the
 * device writes the same run directory as on the CPU, and evaluating its checkpoint on the device and on
 * the CPU gives the same accuracy; a device index out of range is a usage error (exit 2). Skipped, with
 * the reason printed, where no OpenCL device exists.
 */
class DeviceOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void assumeOpenCl() {
        OpenClDevices.Discovery d = OpenClDevices.discover();
        String why = d.unavailableReason().orElse("no devices");
        if (d.devices().isEmpty()) {
            System.err.println("SKIPPED (no OpenCL): " + why);
        }
        Assumptions.assumeFalse(d.devices().isEmpty(), () -> "no OpenCL device: " + why);
    }

    @Test
    void trainAndEvalOnTheDevice(@TempDir Path dir) throws Exception {
        assumeOpenCl();
        Path run = dir.resolve("run");
        TrainEvalCommandTest.Result r = TrainEvalCommandTest.run("train", "--model", "lenet5", "--data", "sample", "--epochs", "1",
                "--batch", "32", "--limit-train", "96", "--limit-test", "64", "--threads", "1", "--seed", "3",
                "--device", "opencl:0", "--out", run.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        double trained = o.get("test_acc").asDouble();
        TrainEvalCommandTest.Result onDevice = TrainEvalCommandTest.run("eval", run.resolve("checkpoint").toString(),
                "--limit-test", "64", "--device", "opencl", "--json");
        TrainEvalCommandTest.Result onCpu = TrainEvalCommandTest.run("eval", run.resolve("checkpoint").toString(),
                "--limit-test", "64", "--json");
        assertEquals(0, onDevice.code(), onDevice.err());
        assertEquals(0, onCpu.code(), onCpu.err());
        double dev = JSON.readTree(onDevice.out()).get("test_acc").asDouble();
        double cpu = JSON.readTree(onCpu.out()).get("test_acc").asDouble();
        assertEquals(trained, dev, 1e-12, "eval on the device reproduces the run's last test accuracy");
        assertEquals(cpu, dev, 1.0 / 64 + 1e-12, "CPU and device agree within one image of 64");
    }

    @Test
    void deviceIndexOutOfRangeIsAUsageError(@TempDir Path dir) {
        assumeOpenCl();
        TrainEvalCommandTest.Result r = TrainEvalCommandTest.run("train", "--model", "lenet5", "--data", "sample", "--epochs", "1",
                "--limit-train", "32", "--limit-test", "32", "--device", "opencl:99", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("out of range"), r.err());
    }
}
