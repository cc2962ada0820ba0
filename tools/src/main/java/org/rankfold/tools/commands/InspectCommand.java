package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold inspect`: What a checkpoint, .npy, .npz, IDX or CIFAR file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "What a checkpoint, .npy, .npz, IDX or CIFAR file holds.",
        footer = {"", "Example:", "  ./rankfold inspect runs/demo/baseline"})
public final class InspectCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("inspect", 4, "inspection of checkpoints and data files");
    }
}
