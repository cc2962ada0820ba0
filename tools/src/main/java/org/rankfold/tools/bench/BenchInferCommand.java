package org.rankfold.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.rankfold.tools.UserError;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rankfold bench infer}: images/s of inference steps (forward in evaluation mode, no gradients) of a zoo model on random data, median after warm-up:
 * the counterpart of {@code torch_train.py --mode infer}.
 */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Images/s of inference steps (forward in evaluation mode, no gradients).",
        footer = {"", "Examples:", "  ./rankfold bench infer --model resnet20 --batch 128 --threads 1 --json",
            "  ./rankfold bench infer --checkpoint runs/demo/checkpoints/full-finetune --compare runs/demo/checkpoints/baseline --threads 2"})
public final class BenchInferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StepBenchOptions options;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Time the model saved in checkpoint DIR (e.g. a run's checkpoints/full-finetune) instead of a fresh zoo model; its input shape comes from the checkpoint.")
    Path checkpoint;

    @Option(names = "--compare", paramLabel = "DIR2",
            description = "With --checkpoint: also time checkpoint DIR2 (e.g. checkpoints/baseline) in alternating runs at the same batch and threads, and print the speed ratio next to the MACs and params ratios.")
    Path compare;

    @Override
    public Integer call() throws IOException {
        if (checkpoint == null) {
            if (compare != null) {
                throw new UserError("--compare needs --checkpoint");
            }
            return options.run(spec.commandLine().getOut(), "infer");
        }
        return CheckpointInferBench.run(spec.commandLine().getOut(), checkpoint, compare, options.batch, options.threads,
                options.runs, options.warmup, options.json);
    }
}
