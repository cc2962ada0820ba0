package org.rankfold.tools.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.rankfold.tools.UserError;

import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.ThreadsOption;
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
        footer = {"", "Examples (after ./rankfold compress, which writes runs/fashionnet-quick):",
            "  ./rankfold bench infer --model resnet20 --batch 32 --threads 1 --json",
            "  ./rankfold bench infer --checkpoint runs/fashionnet-quick/checkpoints/full-finetune --compare runs/fashionnet-quick/checkpoints/baseline --threads 2",
            "  ./rankfold bench infer --checkpoint runs/fashionnet-quick/checkpoints/full-finetune --batch 1 --threads 1 --per-layer"})
public final class BenchInferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StepBenchOptions options;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Time the model saved in checkpoint DIR (e.g. a run's checkpoints/full-finetune) instead of a fresh zoo model; its input shape comes from the checkpoint.")
    Path checkpoint;

    @Option(names = "--compare", paramLabel = "DIR2",
            description = "With --checkpoint: also time checkpoint DIR2 (e.g. checkpoints/baseline) in alternating runs at the same batch and threads, and print the speed ratio next to the MACs and params ratios.")
    Path compare;

    @Option(names = "--engine", defaultValue = "plan", paramLabel = "plan|autograd",
            description = "plan: the compiled inference plan (fused, what eval and predict run); autograd: the modules' own forward pass, for comparison")
    String engine;

    @Option(names = "--per-layer",
            description = "After the timing, print each plan step's share of the time, ms per batch and GMAC/s (of --checkpoint, or of the zoo model)")
    boolean perLayer;

    @Override
    public Integer call() throws IOException {
        boolean usePlan = switch (engine) {
            case "plan" -> true;
            case "autograd" -> false;
            default -> throw new UserError("--engine must be plan or autograd, got '" + engine + "'");
        };
        if (perLayer && !usePlan) {
            throw new UserError("--per-layer times the plan's steps; it does not apply with --engine autograd");
        }
        if (checkpoint == null) {
            if (compare != null) {
                throw new UserError("--compare needs --checkpoint");
            }
            return StepBenchCommand.run(spec.commandLine().getOut(), "infer", options.model, options.inputShape(), options.batch, BenchOptions.threadsOrNull(threadsOption),
                    options.runs, options.warmup, jsonOption.json(), deviceOption.device(), usePlan, perLayer);
        }
        if (options.input != null) {
            throw new UserError("--input applies to zoo models; a checkpoint's input shape is its own");
        }
        return CheckpointInferBench.run(spec.commandLine().getOut(), checkpoint, compare, options.batch, BenchOptions.threadsOrNull(threadsOption),
                options.runs, options.warmup, jsonOption.json(), usePlan, perLayer);
    }
}
