package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold ranks`: EVBMF on the mode-0 and mode-1 unfoldings of a 4-D kernel. */
@Command(name = "ranks", mixinStandardHelpOptions = true,
        description = "EVBMF on the mode-0 and mode-1 unfoldings of a 4-D kernel.",
        footer = {"", "Example:", "  ./rankfold ranks kernel.npy"})
public final class RanksCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("ranks", 5, "EVBMF on unfoldings");
    }
}
