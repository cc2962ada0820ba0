package org.rankfold.tools.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    StepBenchOptions options;

    @Override
    public Integer call() {
        return options.run(spec.commandLine().getOut(), "infer");
    }
}
