package org.rankfold.tools.train;

/**
 * What a command computes on: its {@link DeviceSelection} ({@code --device}) and its {@link CpuSession}
 * ({@code --threads}), opened together after both options are validated (so a bad option fails before
 * an OpenCL runtime is opened) and closed together.
 */
public final class ComputeSession implements AutoCloseable {
    private final DeviceSelection device;
    private final CpuSession cpu;

    private ComputeSession(DeviceSelection device, CpuSession cpu) {
        this.device = device;
        this.cpu = cpu;
    }

    /** Validates {@code --device} and {@code --threads}, then opens the device and installs the CPU backend. */
    public static ComputeSession open(String device, int threads) {
        DeviceSelection.openClDevice(device);
        CpuSession.checkThreads(threads);
        DeviceSelection d = DeviceSelection.open(device);
        try {
            return new ComputeSession(d, CpuSession.open(threads));
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public int threads() {
        return cpu.threads();
    }

    /** True when training and evaluation run on an OpenCL device. */
    public boolean onDevice() {
        return device.onDevice();
    }

    public String describe() {
        return device.onDevice() ? device.describe() + " (host: " + cpu.describe() + ")" : cpu.describe();
    }

    @Override
    public void close() {
        try {
            cpu.close();
        } finally {
            device.close();
        }
    }
}
