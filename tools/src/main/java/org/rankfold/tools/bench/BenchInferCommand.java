package org.rankfold.tools.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rankfold bench infer}: images/s of inference steps (forward in evaluation mode, no gradients) of a zoo model on random data, median after warm-up:
 * the counterpart of {@code torch_train.py --mode infer}.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Images/s of inference steps (forward in evaluation mode, no gradients).",
        footer = {"", "Example:", "  ./rankfold bench infer --model resnet20 --batch 128 --threads 1 --json"})
public final class BenchInferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "fashionnet", description = "zoo model (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--batch", defaultValue = "128", description = "images per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    Integer threads;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "2.0", description = "warm-up seconds (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() {
        return StepBenchCommand.run(spec.commandLine().getOut(), "infer", model, batch, threads, runs, warmup, json);
    }
}
