package org.rankfold.tools.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** `rankfold decompose`: EVBMF + Tucker-2 on an existing trained model. */
@Command(name = "decompose", mixinStandardHelpOptions = true,
        description = "EVBMF + Tucker-2 on an existing trained model.",
        footer = {"", "Example:", "  ./rankfold decompose runs/demo/baseline --out runs/demo/decomposed"})
public final class DecomposeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw NotLanded.because("decompose", 5, "the decomposer");
    }
}
