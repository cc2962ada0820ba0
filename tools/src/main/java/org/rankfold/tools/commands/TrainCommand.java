package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold train`: Train one model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one model.",
        footer = {"", "Example:", "  ./rankfold train --model fashionnet --data fashion-mnist --epochs 10 --seed 1"})
public final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("train", 4, "training");
    }
}
