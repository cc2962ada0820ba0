package org.rankfold.tools.bench;

import java.io.PrintWriter;

import picocli.CommandLine.Option;

/** The options shared by {@code bench train} and {@code bench infer} (a picocli mixin; --threads, --json and --device are the shared ones of tools/options). */
public final class StepBenchOptions {

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "fashionnet", description = "Zoo model: fashionnet, lenet5, resnet20, ... (an unknown name lists them all).")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input image shape, square (default: the model's "
            + "own: 1x28x28 for fashionnet and lenet5, 3x32x32 for the others), e.g. 1x28x28 for resnet20 as the "
            + "Fashion-MNIST runs use it.")
    String input;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Images per step.")
    int batch;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Timed runs.")
    int runs;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2.0", description = "Warm-up seconds before timing.")
    double warmup;

    /** Runs the step benchmark of {@code mode} ("train" or "infer") with these options. */
    int run(PrintWriter out, String mode, Integer threads, boolean json, String device) {
        return StepBenchCommand.run(out, mode, model, inputShape(), batch, threads, runs, warmup, json, device);
    }

    /** (channels, size) from {@code --input}, or null for the model's default. */
    int[] inputShape() {
        return input == null ? null : StepBench.parseInput(input);
    }
}
