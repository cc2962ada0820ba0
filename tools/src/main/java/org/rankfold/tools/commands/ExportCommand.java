package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold export`: Export a checkpoint as ONNX, safetensors or npz. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint as ONNX, safetensors or npz.",
        footer = {"", "Example:", "  ./rankfold export runs/demo/compressed --format onnx --out model.onnx"})
public final class ExportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("export", 10, "export");
    }
}
