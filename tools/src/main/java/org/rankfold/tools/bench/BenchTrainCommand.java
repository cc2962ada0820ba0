package org.rankfold.tools.bench;

import java.util.concurrent.Callable;

import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.ThreadsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rankfold bench train}: images/s of full training steps (forward, cross-entropy, backward, SGD momentum 0.9 with weight decay 5e-4) of a zoo model on random data, median after warm-up:
 * the counterpart of {@code torch_train.py --mode train}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Images/s of full training steps (forward, cross-entropy, backward, SGD momentum 0.9 with weight decay 5e-4).",
        footer = {"", "Example:", "  ./rankfold bench train --model resnet20 --batch 32 --threads 1 --json"})
public final class BenchTrainCommand implements Callable<Integer> {

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

    @Override
    public Integer call() {
        return options.run(spec.commandLine().getOut(), "train", BenchOptions.threadsOrNull(threadsOption), jsonOption.json(),
                deviceOption.device());
    }
}
