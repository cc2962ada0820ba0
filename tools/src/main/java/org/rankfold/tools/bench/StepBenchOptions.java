package org.rankfold.tools.bench;

import java.io.PrintWriter;

import picocli.CommandLine.Option;

/** The options shared by {@code bench train} and {@code bench infer} (a picocli mixin). */
public final class StepBenchOptions {

    @Option(names = "--model", defaultValue = "fashionnet", description = "zoo model")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "images per step")
    int batch;

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    Integer threads;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs")
    int runs;

    @Option(names = "--warmup", defaultValue = "2.0", description = "warm-up seconds")
    double warmup;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, opencl or opencl:N")
    String device;

    /** Runs the step benchmark of {@code mode} ("train" or "infer") with these options. */
    int run(PrintWriter out, String mode) {
        return StepBenchCommand.run(out, mode, model, batch, threads, runs, warmup, json, device);
    }
}
