package org.rankfold.tools.options;

import picocli.CommandLine.Option;

/** {@code --device D}: where training, fine-tuning and evaluation run (checked when the device is opened). */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "cpu, opencl or opencl:N (N from 'rankfold devices'): where training, fine-tuning and evaluation run.")
    String device;

    public String device() {
        return device;
    }
}
