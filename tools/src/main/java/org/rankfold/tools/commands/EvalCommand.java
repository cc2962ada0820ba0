package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold eval`: Evaluate a checkpoint on a test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a checkpoint on a test set.",
        footer = {"", "Example:", "  ./rankfold eval runs/demo/compressed --data sample"})
public final class EvalCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("eval", 4, "evaluation");
    }
}
