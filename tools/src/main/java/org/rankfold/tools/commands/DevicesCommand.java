package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold devices`: OpenCL platforms and devices, or why there are none. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "OpenCL platforms and devices, or why there are none.",
        footer = {"", "Example:", "  ./rankfold devices"})
public final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("devices", 7, "the OpenCL backend");
    }
}
