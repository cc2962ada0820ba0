package org.rankfold.engine.device;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.datasets.sample.FashionMnistSample;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.LrSchedule;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ComputeDevices;
import org.rankfold.engine.train.DeviceSession;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.engine.train.StepResult;
import org.rankfold.engine.train.Synthetic;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.opencl.OpenClRuntime;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on the device follows the CPU trainer: the same losses step by step for fashionnet on the
 * bundled Fashion-MNIST sample, the same epochs (loss, accuracy, weights, BN statistics, momentum) through
 * {@link Trainer} with the device installed, with and without a host-side orthogonality term.
 */
class DeviceTrainingTest extends SeededTest {
    /**
     * Per-step loss difference allowed, relative: both run float32 with sums in other orders, and the
     * differences grow with the steps, fast at large rates on a fresh network (measured ~1e-7 over these 5 steps at lr 0.005; at lr 0.02 ~1e-4 by step 6).
     */
    static final double LOSS_REL = 1e-4;
    /**
     * Weights after training, scaled by each tensor's largest |value|: a few steps of SGD with momentum
     * amplify the per-step float differences of small entries (BN biases of ~1e-3 differ by ~3e-5).
     */
    static final double WEIGHT_REL = 5e-3;

    @Test
    void fashionNetStepsGiveTheCpuLosses() {
        OpenClRuntime rt = TestDevice.runtime();
        DataSplit sample = FashionMnistSample.load();
        Dataset train = sample.train().head(40);
        Module cpu = ModelZoo.create("fashionnet", 1, 28, 10, 7);
        Module dev = ModelZoo.create("fashionnet", 1, 28, 10, 7);
        Sgd cpuSgd = new Sgd(cpu.parameters(), 0.005, 0.9, 0, 5e-4, true);
        Sgd devSgd = new Sgd(dev.parameters(), 0.005, 0.9, 0, 5e-4, true);
        List<String> log = new ArrayList<>();
        try (DataLoader loader = new DataLoader(train, LoaderOptions.training(8, 3, Normalization.FASHION_MNIST));
             DeviceSession session = new OpenClComputeDevice(rt).open(dev, devSgd)) {
            cpu.train(true);
            long step = 0;
            for (Batch b : loader.epoch(0)) {
                cpuSgd.zeroGrad();
                Tensor loss = cpu.forward(Tensor.wrap(b.images(), b.size(), 1, 28, 28)).crossEntropy(b.labels());
                loss.backward();
                cpuSgd.step();
                StepResult r = session.trainStep(b, null, 0, step++);
                log.add(String.format("step %d: cpu %.7f device %.7f", step, loss.item(), r.loss()));
                assertEquals(loss.item(), r.loss(), LOSS_REL * loss.item(), String.join("\n", log));
            }
            session.syncToHost();
        }
        System.out.println("fashionnet losses, CPU vs OpenCL:\n" + String.join("\n", log));
        assertModelsClose(cpu, dev);
        for (Tensor p : cpu.parameters()) {
            Tensor q = dev.parameters().get(cpu.parameters().indexOf(p));
            assertNotNull(devSgd.momentumBuffer(q), "momentum synced to the host optimizer");
            assertClose("momentum", cpuSgd.momentumBuffer(p), devSgd.momentumBuffer(q));
        }
    }

    @Test
    void trainerOnTheDeviceMatchesTheCpuTrainer() throws IOException {
        compareTrainers(false);
    }

    @Test
    void hostSideOrthogonalityTermMatchesTheCpuTrainer() throws IOException {
        compareTrainers(true);
    }

    private void compareTrainers(boolean ortho) throws IOException {
        OpenClRuntime rt = TestDevice.runtime();
        Dataset data = Synthetic.dataset("train", 40, 11);
        Dataset test = Synthetic.dataset("test", 20, 12);
        Module cpu = Synthetic.model(5);
        Module dev = Synthetic.model(5);
        List<EpochResult> expected = fit(cpu, data, test, ortho);
        List<EpochResult> actual;
        var previous = ComputeDevices.install(new OpenClComputeDevice(rt));
        try {
            actual = fit(dev, data, test, ortho);
        } finally {
            ComputeDevices.install(previous);
        }
        assertEquals(expected.size(), actual.size());
        for (int e = 0; e < expected.size(); e++) {
            EpochResult x = expected.get(e);
            EpochResult y = actual.get(e);
            String where = "epoch " + (e + 1) + ": cpu " + x + " vs device " + y;
            assertEquals(x.trainLoss(), y.trainLoss(), LOSS_REL * x.trainLoss(), where);
            assertEquals(x.testLoss(), y.testLoss(), 10 * LOSS_REL * x.testLoss(), where);
            assertEquals(x.trainAccuracy(), y.trainAccuracy(), 1.0 / 40 + 1e-9, where);
            assertEquals(x.testAccuracy(), y.testAccuracy(), 1.0 / 20 + 1e-9, where);
        }
        assertModelsClose(cpu, dev);
    }

    private static List<EpochResult> fit(Module model, Dataset data, Dataset test, boolean ortho) throws IOException {
        Sgd sgd = Sgd.momentum(model.parameters(), 0.1, 0.9, 5e-4);
        ExtraLoss extra = null;
        if (ortho) {
            OrthogonalRegularizer so = OrthogonalRegularizer.parse("so");
            List<Tensor> targets = new ArrayList<>(OrthogonalRegularizer.targets(model, true).values());
            extra = (m, e, s) -> so.total(targets, 0.05);
        }
        try (DataLoader train = Synthetic.trainLoader(data, 8, 2); DataLoader eval = Synthetic.testLoader(test, 16)) {
            return new Trainer(model, sgd, LrSchedule.constant(0.1), train, eval, 2, true, extra).fit();
        }
    }

    @Test
    void adamIsRefusedByName() {
        OpenClRuntime rt = TestDevice.runtime();
        Module m = Synthetic.model(1);
        var adam = new org.rankfold.engine.optim.Adam(m.parameters(), 1e-3, 0.9, 0.999, 1e-8, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OpenClComputeDevice(rt).open(m, adam));
        assertTrue(e.getMessage().contains("SGD only") && e.getMessage().contains("Adam"), e.getMessage());
    }

    private static void assertModelsClose(Module cpu, Module dev) {
        var a = cpu.namedParameters();
        var b = dev.namedParameters();
        a.forEach((k, t) -> assertClose("parameter " + k, t.data(), b.get(k).data()));
        var c = cpu.namedBuffers();
        var d = dev.namedBuffers();
        c.forEach((k, t) -> assertClose("buffer " + k, t.data(), d.get(k).data()));
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        Arrays2.assertClose(what, expected, actual, 0, WEIGHT_REL * Math.max(1e-3, Arrays2.maxAbs(expected)));
    }
}
