package org.rankfold.tools.bench;

import java.io.PrintWriter;

import picocli.CommandLine.Option;

/** The options shared by {@code bench train} and {@code bench infer} (a picocli mixin; --threads, --json and --device are the shared ones of tools/options). */
public final class StepBenchOptions {

    @Option(names = "--model", defaultValue = "fashionnet", description = "zoo model")
    String model;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input image shape, square (default: the model's "
            + "own: 1x28x28 for fashionnet and lenet5, 3x32x32 for the others), e.g. 1x28x28 for resnet20 as the "
            + "Fashion-MNIST runs use it.")
    String input;

    @Option(names = "--batch", defaultValue = "128", description = "images per step")
    int batch;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs")
    int runs;

    @Option(names = "--warmup", defaultValue = "2.0", description = "warm-up seconds")
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
